import { expect } from '@jest/globals';
import { waitFor } from '../../lib/events/testing/wait-for';
import { graphql, type GraphQLResponse, type SignedAs } from './graphql';

/** The fulfilment half of the checkout through the gateway (or one Orders subgraph), as a storefront and an admin page do it. */

export const ADDRESS = { name: 'Jane Doe', line1: '742 Evergreen Terrace', city: 'Springfield', region: 'IL', postalCode: '62704', country: 'US' } as const;
/** The Address Orders answers with for ADDRESS. */
export const STORED_ADDRESS = { ...ADDRESS, line2: null } as const;
/** A UPS number with a valid check digit (fulfilment.md), and the tracking page Shipping links to it. */
export const UPS = { carrier: 'ups', trackingNumber: '1z 999 aa1 0123 456 784' } as const;
export const UPS_SHIPPED = { carrier: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784' } as const;

export const FULFILMENT_FIELDS = `id status version
  shippingAddress { name line1 line2 city region postalCode country }
  shipment { status carrier trackingNumber trackingUrl shippedAt deliveredAt }
  payment { status }`;

export interface FulfilmentView {
  readonly id: string;
  readonly status: string;
  readonly version: number;
  readonly shippingAddress: Record<string, string | null> | null;
  readonly shipment: { status: string; carrier: string | null; trackingNumber: string | null; trackingUrl: string | null; shippedAt: string | null; deliveredAt: string | null } | null;
  readonly payment: { status: string } | null;
}

type Options = { token?: string; signedAs?: SignedAs };

export function placeWithContact(
  url: string,
  token: string,
  input: { items: readonly { productId: string; quantity: number }[]; shippingAddress?: unknown; email?: unknown },
): Promise<GraphQLResponse<{ placeOrder: FulfilmentView }>> {
  return graphql(url, `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { ${FULFILMENT_FIELDS} } }`, { input }, { token });
}

export function setShippingAddressAs(url: string, token: string, orderId: string, address: unknown, email: unknown): Promise<GraphQLResponse<{ setShippingAddress: FulfilmentView }>> {
  return graphql(
    url,
    `mutation($id: ID!, $address: AddressInput!, $email: String!) { setShippingAddress(orderId: $id, address: $address, email: $email) { ${FULFILMENT_FIELDS} } }`,
    { id: orderId, address, email },
    { token },
  );
}

/** `fields`: what to read back (the Orders subgraph alone has no shipment or payment). */
export function shipOrderAs(
  url: string,
  options: Options,
  orderId: string,
  input: { carrier: string; trackingNumber: string },
  fields = FULFILMENT_FIELDS,
): Promise<GraphQLResponse<{ shipOrder: FulfilmentView }>> {
  return graphql(url, `mutation($id: ID!, $input: ShipOrderInput!) { shipOrder(id: $id, input: $input) { ${fields} } }`, { id: orderId, input }, options);
}

export function markDeliveredAs(url: string, options: Options, orderId: string, fields = FULFILMENT_FIELDS): Promise<GraphQLResponse<{ markOrderDelivered: FulfilmentView }>> {
  return graphql(url, `mutation($id: ID!) { markOrderDelivered(id: $id) { ${fields} } }`, { id: orderId }, options);
}

export async function fulfilmentOf(url: string, token: string, orderId: string): Promise<FulfilmentView> {
  const response = await graphql<{ order: FulfilmentView }>(url, `query($id: ID!) { order(id: $id) { ${FULFILMENT_FIELDS} } }`, { id: orderId }, { token });
  expect(response.errors).toBeUndefined();
  return response.data!.order;
}

export async function waitForFulfilment(url: string, token: string, orderId: string, done: (order: FulfilmentView) => boolean, what: string, timeoutMs = 20_000): Promise<FulfilmentView> {
  let last: FulfilmentView | undefined;
  await waitFor(`order ${orderId}: ${what}`, async () => done((last = await fulfilmentOf(url, token, orderId))), timeoutMs, 50).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`);
  });
  return last!;
}
