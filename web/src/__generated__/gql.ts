/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query AdminOrders($status: OrderStatus, $first: Int!, $after: String) {\n  orders(status: $status, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...OrderSummary\n        customer {\n          id\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.AdminOrdersDocument,
    "mutation CancelOrder($id: ID!, $reason: String) {\n  cancelOrder(id: $id, reason: $reason) {\n    id\n    status\n    updatedAt\n  }\n}": typeof types.CancelOrderDocument,
    "query Categories {\n  products(first: 100) {\n    edges {\n      node {\n        id\n        category\n      }\n    }\n  }\n}": typeof types.CategoriesDocument,
    "mutation CompleteOrder($id: ID!) {\n  completeOrder(id: $id) {\n    id\n    status\n    updatedAt\n  }\n}": typeof types.CompleteOrderDocument,
    "mutation ConfirmOrder($id: ID!) {\n  confirmOrder(id: $id) {\n    id\n    status\n    updatedAt\n  }\n}": typeof types.ConfirmOrderDocument,
    "mutation MarkOrderDelivered($id: ID!) {\n  markOrderDelivered(id: $id) {\n    id\n    status\n    version\n    updatedAt\n    shipment {\n      ...ShipmentDetails\n    }\n  }\n}": typeof types.MarkOrderDeliveredDocument,
    "query MyOrders($first: Int!, $after: String) {\n  me {\n    id\n    orders(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.MyOrdersDocument,
    "query MyRewards {\n  me {\n    id\n    rewards {\n      balance\n      lifetimePoints\n      tier\n      transactions(first: 10) {\n        edges {\n          node {\n            id\n            type\n            points\n            occurredAt\n            order {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n}": typeof types.MyRewardsDocument,
    "query Order($id: ID!) {\n  order(id: $id) {\n    ...OrderSummary\n    ...OrderProgress\n    shippingAddress {\n      ...ShippingAddress\n    }\n    customer {\n      id\n    }\n  }\n}": typeof types.OrderDocument,
    "query OrderProgress($id: ID!) {\n  order(id: $id) {\n    ...OrderProgress\n  }\n}": typeof types.OrderProgressDocument,
    "query OrderRewardPoints($id: ID!) {\n  order(id: $id) {\n    id\n    rewardPoints\n  }\n}": typeof types.OrderRewardPointsDocument,
    "subscription OrderStatusChanged($orderId: ID!, $afterVersion: Int) {\n  orderStatusChanged(orderId: $orderId, afterVersion: $afterVersion) {\n    status\n    previousStatus\n    at\n    version\n    order {\n      ...OrderSummary\n    }\n  }\n}": typeof types.OrderStatusChangedDocument,
    "mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    ...OrderSummary\n  }\n}": typeof types.PlaceOrderDocument,
    "query Product($id: ID!) {\n  product(id: $id) {\n    ...ProductCard\n    sku\n    description\n  }\n}": typeof types.ProductDocument,
    "query Products($category: String, $first: Int!, $after: String) {\n  products(category: $category, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ProductCard\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.ProductsDocument,
    "mutation RedeemPoints($points: Int!) {\n  redeemPoints(points: $points) {\n    balance\n    lifetimePoints\n    tier\n  }\n}": typeof types.RedeemPointsDocument,
    "mutation SetShippingAddress($orderId: ID!, $address: AddressInput!, $email: String!) {\n  setShippingAddress(orderId: $orderId, address: $address, email: $email) {\n    id\n    updatedAt\n    shippingAddress {\n      ...ShippingAddress\n    }\n  }\n}": typeof types.SetShippingAddressDocument,
    "mutation ShipOrder($id: ID!, $input: ShipOrderInput!) {\n  shipOrder(id: $id, input: $input) {\n    id\n    status\n    version\n    updatedAt\n    shipment {\n      ...ShipmentDetails\n    }\n  }\n}": typeof types.ShipOrderDocument,
    "mutation StartPayment($orderId: ID!) {\n  startPayment(orderId: $orderId) {\n    ...PaymentDetails\n  }\n}": typeof types.StartPaymentDocument,
    "fragment OrderProgress on Order {\n  id\n  paymentDueAt\n  payment {\n    ...PaymentDetails\n  }\n  shipment {\n    ...ShipmentDetails\n  }\n}": typeof types.OrderProgressFragmentDoc,
    "fragment OrderSummary on Order {\n  id\n  status\n  version\n  total {\n    amount\n    currency\n  }\n  placedAt\n  updatedAt\n  rewardPoints\n  items {\n    productName\n    quantity\n    unitPrice {\n      amount\n      currency\n    }\n    lineTotal {\n      amount\n      currency\n    }\n    product {\n      id\n    }\n  }\n}": typeof types.OrderSummaryFragmentDoc,
    "fragment PaymentDetails on Payment {\n  id\n  status\n  amount {\n    amount\n    currency\n  }\n  clientSecret\n  failureReason\n  updatedAt\n}": typeof types.PaymentDetailsFragmentDoc,
    "fragment ProductCard on Product {\n  id\n  name\n  category\n  price {\n    amount\n    currency\n  }\n  stockQuantity\n  inStock\n}": typeof types.ProductCardFragmentDoc,
    "fragment ShipmentDetails on Shipment {\n  id\n  status\n  carrier\n  trackingNumber\n  trackingUrl\n  shippedAt\n  deliveredAt\n}": typeof types.ShipmentDetailsFragmentDoc,
    "fragment ShippingAddress on Address {\n  name\n  line1\n  line2\n  city\n  region\n  postalCode\n  country\n}": typeof types.ShippingAddressFragmentDoc,
};
const documents: Documents = {
    "query AdminOrders($status: OrderStatus, $first: Int!, $after: String) {\n  orders(status: $status, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...OrderSummary\n        customer {\n          id\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.AdminOrdersDocument,
    "mutation CancelOrder($id: ID!, $reason: String) {\n  cancelOrder(id: $id, reason: $reason) {\n    id\n    status\n    updatedAt\n  }\n}": types.CancelOrderDocument,
    "query Categories {\n  products(first: 100) {\n    edges {\n      node {\n        id\n        category\n      }\n    }\n  }\n}": types.CategoriesDocument,
    "mutation CompleteOrder($id: ID!) {\n  completeOrder(id: $id) {\n    id\n    status\n    updatedAt\n  }\n}": types.CompleteOrderDocument,
    "mutation ConfirmOrder($id: ID!) {\n  confirmOrder(id: $id) {\n    id\n    status\n    updatedAt\n  }\n}": types.ConfirmOrderDocument,
    "mutation MarkOrderDelivered($id: ID!) {\n  markOrderDelivered(id: $id) {\n    id\n    status\n    version\n    updatedAt\n    shipment {\n      ...ShipmentDetails\n    }\n  }\n}": types.MarkOrderDeliveredDocument,
    "query MyOrders($first: Int!, $after: String) {\n  me {\n    id\n    orders(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.MyOrdersDocument,
    "query MyRewards {\n  me {\n    id\n    rewards {\n      balance\n      lifetimePoints\n      tier\n      transactions(first: 10) {\n        edges {\n          node {\n            id\n            type\n            points\n            occurredAt\n            order {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n}": types.MyRewardsDocument,
    "query Order($id: ID!) {\n  order(id: $id) {\n    ...OrderSummary\n    ...OrderProgress\n    shippingAddress {\n      ...ShippingAddress\n    }\n    customer {\n      id\n    }\n  }\n}": types.OrderDocument,
    "query OrderProgress($id: ID!) {\n  order(id: $id) {\n    ...OrderProgress\n  }\n}": types.OrderProgressDocument,
    "query OrderRewardPoints($id: ID!) {\n  order(id: $id) {\n    id\n    rewardPoints\n  }\n}": types.OrderRewardPointsDocument,
    "subscription OrderStatusChanged($orderId: ID!, $afterVersion: Int) {\n  orderStatusChanged(orderId: $orderId, afterVersion: $afterVersion) {\n    status\n    previousStatus\n    at\n    version\n    order {\n      ...OrderSummary\n    }\n  }\n}": types.OrderStatusChangedDocument,
    "mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    ...OrderSummary\n  }\n}": types.PlaceOrderDocument,
    "query Product($id: ID!) {\n  product(id: $id) {\n    ...ProductCard\n    sku\n    description\n  }\n}": types.ProductDocument,
    "query Products($category: String, $first: Int!, $after: String) {\n  products(category: $category, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ProductCard\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.ProductsDocument,
    "mutation RedeemPoints($points: Int!) {\n  redeemPoints(points: $points) {\n    balance\n    lifetimePoints\n    tier\n  }\n}": types.RedeemPointsDocument,
    "mutation SetShippingAddress($orderId: ID!, $address: AddressInput!, $email: String!) {\n  setShippingAddress(orderId: $orderId, address: $address, email: $email) {\n    id\n    updatedAt\n    shippingAddress {\n      ...ShippingAddress\n    }\n  }\n}": types.SetShippingAddressDocument,
    "mutation ShipOrder($id: ID!, $input: ShipOrderInput!) {\n  shipOrder(id: $id, input: $input) {\n    id\n    status\n    version\n    updatedAt\n    shipment {\n      ...ShipmentDetails\n    }\n  }\n}": types.ShipOrderDocument,
    "mutation StartPayment($orderId: ID!) {\n  startPayment(orderId: $orderId) {\n    ...PaymentDetails\n  }\n}": types.StartPaymentDocument,
    "fragment OrderProgress on Order {\n  id\n  paymentDueAt\n  payment {\n    ...PaymentDetails\n  }\n  shipment {\n    ...ShipmentDetails\n  }\n}": types.OrderProgressFragmentDoc,
    "fragment OrderSummary on Order {\n  id\n  status\n  version\n  total {\n    amount\n    currency\n  }\n  placedAt\n  updatedAt\n  rewardPoints\n  items {\n    productName\n    quantity\n    unitPrice {\n      amount\n      currency\n    }\n    lineTotal {\n      amount\n      currency\n    }\n    product {\n      id\n    }\n  }\n}": types.OrderSummaryFragmentDoc,
    "fragment PaymentDetails on Payment {\n  id\n  status\n  amount {\n    amount\n    currency\n  }\n  clientSecret\n  failureReason\n  updatedAt\n}": types.PaymentDetailsFragmentDoc,
    "fragment ProductCard on Product {\n  id\n  name\n  category\n  price {\n    amount\n    currency\n  }\n  stockQuantity\n  inStock\n}": types.ProductCardFragmentDoc,
    "fragment ShipmentDetails on Shipment {\n  id\n  status\n  carrier\n  trackingNumber\n  trackingUrl\n  shippedAt\n  deliveredAt\n}": types.ShipmentDetailsFragmentDoc,
    "fragment ShippingAddress on Address {\n  name\n  line1\n  line2\n  city\n  region\n  postalCode\n  country\n}": types.ShippingAddressFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query AdminOrders($status: OrderStatus, $first: Int!, $after: String) {\n  orders(status: $status, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...OrderSummary\n        customer {\n          id\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query AdminOrders($status: OrderStatus, $first: Int!, $after: String) {\n  orders(status: $status, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...OrderSummary\n        customer {\n          id\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CancelOrder($id: ID!, $reason: String) {\n  cancelOrder(id: $id, reason: $reason) {\n    id\n    status\n    updatedAt\n  }\n}"): (typeof documents)["mutation CancelOrder($id: ID!, $reason: String) {\n  cancelOrder(id: $id, reason: $reason) {\n    id\n    status\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Categories {\n  products(first: 100) {\n    edges {\n      node {\n        id\n        category\n      }\n    }\n  }\n}"): (typeof documents)["query Categories {\n  products(first: 100) {\n    edges {\n      node {\n        id\n        category\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CompleteOrder($id: ID!) {\n  completeOrder(id: $id) {\n    id\n    status\n    updatedAt\n  }\n}"): (typeof documents)["mutation CompleteOrder($id: ID!) {\n  completeOrder(id: $id) {\n    id\n    status\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConfirmOrder($id: ID!) {\n  confirmOrder(id: $id) {\n    id\n    status\n    updatedAt\n  }\n}"): (typeof documents)["mutation ConfirmOrder($id: ID!) {\n  confirmOrder(id: $id) {\n    id\n    status\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation MarkOrderDelivered($id: ID!) {\n  markOrderDelivered(id: $id) {\n    id\n    status\n    version\n    updatedAt\n    shipment {\n      ...ShipmentDetails\n    }\n  }\n}"): (typeof documents)["mutation MarkOrderDelivered($id: ID!) {\n  markOrderDelivered(id: $id) {\n    id\n    status\n    version\n    updatedAt\n    shipment {\n      ...ShipmentDetails\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyOrders($first: Int!, $after: String) {\n  me {\n    id\n    orders(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query MyOrders($first: Int!, $after: String) {\n  me {\n    id\n    orders(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...OrderSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyRewards {\n  me {\n    id\n    rewards {\n      balance\n      lifetimePoints\n      tier\n      transactions(first: 10) {\n        edges {\n          node {\n            id\n            type\n            points\n            occurredAt\n            order {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query MyRewards {\n  me {\n    id\n    rewards {\n      balance\n      lifetimePoints\n      tier\n      transactions(first: 10) {\n        edges {\n          node {\n            id\n            type\n            points\n            occurredAt\n            order {\n              id\n            }\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Order($id: ID!) {\n  order(id: $id) {\n    ...OrderSummary\n    ...OrderProgress\n    shippingAddress {\n      ...ShippingAddress\n    }\n    customer {\n      id\n    }\n  }\n}"): (typeof documents)["query Order($id: ID!) {\n  order(id: $id) {\n    ...OrderSummary\n    ...OrderProgress\n    shippingAddress {\n      ...ShippingAddress\n    }\n    customer {\n      id\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrderProgress($id: ID!) {\n  order(id: $id) {\n    ...OrderProgress\n  }\n}"): (typeof documents)["query OrderProgress($id: ID!) {\n  order(id: $id) {\n    ...OrderProgress\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OrderRewardPoints($id: ID!) {\n  order(id: $id) {\n    id\n    rewardPoints\n  }\n}"): (typeof documents)["query OrderRewardPoints($id: ID!) {\n  order(id: $id) {\n    id\n    rewardPoints\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription OrderStatusChanged($orderId: ID!, $afterVersion: Int) {\n  orderStatusChanged(orderId: $orderId, afterVersion: $afterVersion) {\n    status\n    previousStatus\n    at\n    version\n    order {\n      ...OrderSummary\n    }\n  }\n}"): (typeof documents)["subscription OrderStatusChanged($orderId: ID!, $afterVersion: Int) {\n  orderStatusChanged(orderId: $orderId, afterVersion: $afterVersion) {\n    status\n    previousStatus\n    at\n    version\n    order {\n      ...OrderSummary\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    ...OrderSummary\n  }\n}"): (typeof documents)["mutation PlaceOrder($input: PlaceOrderInput!) {\n  placeOrder(input: $input) {\n    ...OrderSummary\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Product($id: ID!) {\n  product(id: $id) {\n    ...ProductCard\n    sku\n    description\n  }\n}"): (typeof documents)["query Product($id: ID!) {\n  product(id: $id) {\n    ...ProductCard\n    sku\n    description\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Products($category: String, $first: Int!, $after: String) {\n  products(category: $category, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ProductCard\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query Products($category: String, $first: Int!, $after: String) {\n  products(category: $category, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        ...ProductCard\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RedeemPoints($points: Int!) {\n  redeemPoints(points: $points) {\n    balance\n    lifetimePoints\n    tier\n  }\n}"): (typeof documents)["mutation RedeemPoints($points: Int!) {\n  redeemPoints(points: $points) {\n    balance\n    lifetimePoints\n    tier\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetShippingAddress($orderId: ID!, $address: AddressInput!, $email: String!) {\n  setShippingAddress(orderId: $orderId, address: $address, email: $email) {\n    id\n    updatedAt\n    shippingAddress {\n      ...ShippingAddress\n    }\n  }\n}"): (typeof documents)["mutation SetShippingAddress($orderId: ID!, $address: AddressInput!, $email: String!) {\n  setShippingAddress(orderId: $orderId, address: $address, email: $email) {\n    id\n    updatedAt\n    shippingAddress {\n      ...ShippingAddress\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ShipOrder($id: ID!, $input: ShipOrderInput!) {\n  shipOrder(id: $id, input: $input) {\n    id\n    status\n    version\n    updatedAt\n    shipment {\n      ...ShipmentDetails\n    }\n  }\n}"): (typeof documents)["mutation ShipOrder($id: ID!, $input: ShipOrderInput!) {\n  shipOrder(id: $id, input: $input) {\n    id\n    status\n    version\n    updatedAt\n    shipment {\n      ...ShipmentDetails\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation StartPayment($orderId: ID!) {\n  startPayment(orderId: $orderId) {\n    ...PaymentDetails\n  }\n}"): (typeof documents)["mutation StartPayment($orderId: ID!) {\n  startPayment(orderId: $orderId) {\n    ...PaymentDetails\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment OrderProgress on Order {\n  id\n  paymentDueAt\n  payment {\n    ...PaymentDetails\n  }\n  shipment {\n    ...ShipmentDetails\n  }\n}"): (typeof documents)["fragment OrderProgress on Order {\n  id\n  paymentDueAt\n  payment {\n    ...PaymentDetails\n  }\n  shipment {\n    ...ShipmentDetails\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment OrderSummary on Order {\n  id\n  status\n  version\n  total {\n    amount\n    currency\n  }\n  placedAt\n  updatedAt\n  rewardPoints\n  items {\n    productName\n    quantity\n    unitPrice {\n      amount\n      currency\n    }\n    lineTotal {\n      amount\n      currency\n    }\n    product {\n      id\n    }\n  }\n}"): (typeof documents)["fragment OrderSummary on Order {\n  id\n  status\n  version\n  total {\n    amount\n    currency\n  }\n  placedAt\n  updatedAt\n  rewardPoints\n  items {\n    productName\n    quantity\n    unitPrice {\n      amount\n      currency\n    }\n    lineTotal {\n      amount\n      currency\n    }\n    product {\n      id\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment PaymentDetails on Payment {\n  id\n  status\n  amount {\n    amount\n    currency\n  }\n  clientSecret\n  failureReason\n  updatedAt\n}"): (typeof documents)["fragment PaymentDetails on Payment {\n  id\n  status\n  amount {\n    amount\n    currency\n  }\n  clientSecret\n  failureReason\n  updatedAt\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ProductCard on Product {\n  id\n  name\n  category\n  price {\n    amount\n    currency\n  }\n  stockQuantity\n  inStock\n}"): (typeof documents)["fragment ProductCard on Product {\n  id\n  name\n  category\n  price {\n    amount\n    currency\n  }\n  stockQuantity\n  inStock\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ShipmentDetails on Shipment {\n  id\n  status\n  carrier\n  trackingNumber\n  trackingUrl\n  shippedAt\n  deliveredAt\n}"): (typeof documents)["fragment ShipmentDetails on Shipment {\n  id\n  status\n  carrier\n  trackingNumber\n  trackingUrl\n  shippedAt\n  deliveredAt\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment ShippingAddress on Address {\n  name\n  line1\n  line2\n  city\n  region\n  postalCode\n  country\n}"): (typeof documents)["fragment ShippingAddress on Address {\n  name\n  line1\n  line2\n  city\n  region\n  postalCode\n  country\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;