import * as z from 'zod';

/** What the gateway needs from an order status event to serve `orderStatusChanged`. */
export const orderStatusMessage = z.object({
  eventId: z.string().min(1),
  orderId: z.string().min(1),
  customerId: z.string().min(1),
  status: z.enum(['PENDING', 'CONFIRMED', 'COMPLETED', 'CANCELLED']),
  previousStatus: z.enum(['PENDING', 'CONFIRMED', 'COMPLETED', 'CANCELLED']).nullable(),
  at: z.string(),
});

export type OrderStatusMessage = z.infer<typeof orderStatusMessage>;
