import * as z from 'zod';

/** What the gateway needs from an order status event to serve `orderStatusChanged`. */
export const orderStatusMessage = z.object({
  eventId: z.string().min(1),
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  status: z.enum(['PENDING', 'CONFIRMED', 'SHIPPED', 'COMPLETED', 'CANCELLED']),
  previousStatus: z.enum(['PENDING', 'CONFIRMED', 'SHIPPED', 'COMPLETED', 'CANCELLED']).nullable(),
  at: z.string(),
  /** The order's version after this change; absent on events published before versions existed. */
  version: z.number().int().positive().optional(),
});

export type OrderStatusMessage = z.infer<typeof orderStatusMessage>;
