import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Order as OrderModel } from '../../domain/order';
import type { OrderItem as OrderItemModel } from '../../domain/order-item';
import type { CustomerRef as CustomerRefModel, ProductRef as ProductRefModel, OrderStatusUpdateRef as OrderStatusUpdateRefModel, OrdersContext } from '../orders-context';
import type { MoneyProps as MoneyPropsModel } from '../../../../lib/ddd';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO 8601 date-time with offset, e.g. 2026-01-31T12:00:00.000Z. */
  DateTime: { input: string; output: Date | string; }
  _FieldSet: { input: unknown; output: unknown; }
};

/** A postal address as Orders checked and stored it: trimmed, the country upper-cased, the postal code in its country's format. */
export type Address = {
  __typename?: 'Address';
  /** City or town. */
  city: Scalars['String']['output'];
  /** ISO 3166-1 alpha-2 country code, e.g. US. */
  country: Scalars['String']['output'];
  /** Street and number. */
  line1: Scalars['String']['output'];
  /** Apartment, suite, building; null when none. */
  line2?: Maybe<Scalars['String']['output']>;
  /** Who receives the parcel. */
  name: Scalars['String']['output'];
  /** Postal code, upper-cased with single spaces (62704, SW1A 2AA). */
  postalCode: Scalars['String']['output'];
  /** State, province or region; null when none. */
  region?: Maybe<Scalars['String']['output']>;
};

/** Where an order goes. Every field is one line of visible text; a wrong field is BAD_USER_INPUT naming it, e.g. shippingAddress.postalCode. */
export type AddressInput = {
  /** City or town: 1 to 100 characters. */
  city: Scalars['String']['input'];
  /** ISO 3166-1 alpha-2 country code (US, DE, JP), any case. */
  country: Scalars['String']['input'];
  /** Street and number: 1 to 100 characters. */
  line1: Scalars['String']['input'];
  /** Apartment, suite, building: up to 100 characters; blank or left out means none. */
  line2?: InputMaybe<Scalars['String']['input']>;
  /** Who receives the parcel: 1 to 100 characters. */
  name: Scalars['String']['input'];
  /** Postal code: 1 to 16 characters, in the country's format wherever that format is known (62704 or 62704-1234 in the US, SW1A 2AA in GB). */
  postalCode: Scalars['String']['input'];
  /** State, province or region: up to 100 characters; blank or left out means none. */
  region?: InputMaybe<Scalars['String']['input']>;
};

/** A customer: the `sub` of their token. Orders and Rewards each contribute fields. */
export type Customer = {
  __typename?: 'Customer';
  /** The customer's id: the `sub` claim of their token. */
  id: Scalars['ID']['output'];
  /** Newest first. The customer themself or an admin. first: 1..100. */
  orders: OrderConnection;
};


/** A customer: the `sub` of their token. Orders and Rewards each contribute fields. */
export type CustomerOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<OrderStatus>;
};

/** An amount of money in integer minor units (cents) of an ISO 4217 currency. */
export type Money = {
  __typename?: 'Money';
  /** Integer number of minor units of the currency (cents for USD, yen for JPY); never negative. */
  amount: Scalars['Int']['output'];
  /** ISO 4217 code of three upper-case letters, e.g. USD. */
  currency: Scalars['String']['output'];
};

/** Changes. Each needs a token; who may call is stated on each field. Errors carry extensions.code. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Owner or admin. PENDING or CONFIRMED -> CANCELLED. */
  cancelOrder: Order;
  /** Admin. CONFIRMED or SHIPPED -> COMPLETED by hand (markOrderDelivered is the usual way for a shipped order). A CONFIRMED order's payment is captured first: PAYMENT_FAILED when the provider refuses, and the order stays CONFIRMED. */
  completeOrder: Order;
  /** Admin. PENDING -> CONFIRMED by hand (a payment outside the checkout, e.g. a bank transfer); the checkout confirms on its own when the payment is authorized. */
  confirmOrder: Order;
  /** Admin. SHIPPED -> COMPLETED once the carrier delivered: the shipment is DELIVERED, then the order COMPLETED (Rewards issues points). */
  markOrderDelivered: Order;
  /** Customer. Unknown product NOT_FOUND; more than in stock PRODUCT_UNAVAILABLE; more unpaid orders or held units than a customer may have LIMIT_EXCEEDED (details: limit, max, value); Catalog unreachable CATALOG_UNAVAILABLE. The order is PENDING until paid (startPayment), at the latest by paymentDueAt. */
  placeOrder: Order;
  /** Owner. Gives or corrects the order's shipping address and contact email while it is PENDING or CONFIRMED (INVALID_ORDER_TRANSITION after); a wrong field is BAD_USER_INPUT naming it (address.postalCode, email). */
  setShippingAddress: Order;
  /** Admin. CONFIRMED -> SHIPPED: captures the payment (an order confirmed by hand has none), hands the parcel to the carrier (Order.shipment), then the order is SHIPPED. Needs a shipping address and a contact email (BAD_USER_INPUT naming what is missing); a capture the payment provider refuses is PAYMENT_FAILED and nothing ships (the order stays CONFIRMED); Payments or Shipping unreachable is SERVICE_UNAVAILABLE (safe to repeat). */
  shipOrder: Order;
};


/** Changes. Each needs a token; who may call is stated on each field. Errors carry extensions.code. */
export type MutationCancelOrderArgs = {
  id: Scalars['ID']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
};


/** Changes. Each needs a token; who may call is stated on each field. Errors carry extensions.code. */
export type MutationCompleteOrderArgs = {
  id: Scalars['ID']['input'];
};


/** Changes. Each needs a token; who may call is stated on each field. Errors carry extensions.code. */
export type MutationConfirmOrderArgs = {
  id: Scalars['ID']['input'];
};


/** Changes. Each needs a token; who may call is stated on each field. Errors carry extensions.code. */
export type MutationMarkOrderDeliveredArgs = {
  id: Scalars['ID']['input'];
};


/** Changes. Each needs a token; who may call is stated on each field. Errors carry extensions.code. */
export type MutationPlaceOrderArgs = {
  input: PlaceOrderInput;
};


/** Changes. Each needs a token; who may call is stated on each field. Errors carry extensions.code. */
export type MutationSetShippingAddressArgs = {
  address: AddressInput;
  email: Scalars['String']['input'];
  orderId: Scalars['ID']['input'];
};


/** Changes. Each needs a token; who may call is stated on each field. Errors carry extensions.code. */
export type MutationShipOrderArgs = {
  id: Scalars['ID']['input'];
  input: ShipOrderInput;
};

/** A customer's order: its lines with the names and prices of the moment it was placed, and its status. */
export type Order = {
  __typename?: 'Order';
  /** Who placed the order. */
  customer: Customer;
  /** Unique, immutable id assigned when the order is placed. */
  id: Scalars['ID']['output'];
  /** The order lines, one per product (1 to 50). */
  items: Array<OrderItem>;
  /** When a PENDING order is cancelled unless its payment is authorized first (placedAt + PAYMENT_TIMEOUT_SECONDS); null once it is no longer PENDING, and for orders placed before payment deadlines. */
  paymentDueAt?: Maybe<Scalars['DateTime']['output']>;
  /** When the order was placed. */
  placedAt: Scalars['DateTime']['output'];
  /** Where the order ships to, as checked when given (placeOrder or setShippingAddress); null until given. An order ships only with one. */
  shippingAddress?: Maybe<Address>;
  /** Where the order is in its lifecycle; orderStatusChanged streams each change. */
  status: OrderStatus;
  /** Sum of the line totals; an order never mixes currencies. */
  total: Money;
  /** When the order last changed status (placedAt until then). */
  updatedAt: Scalars['DateTime']['output'];
  /** How many changes the order has had: 1 when placed, +1 per status change. Pass it as orderStatusChanged's afterVersion to receive every change after what this read showed. */
  version: Scalars['Int']['output'];
};

/** A page of orders, newest first (Relay cursor connection). */
export type OrderConnection = {
  __typename?: 'OrderConnection';
  /** The orders of this page, newest first. */
  edges: Array<OrderEdge>;
  /** Whether more (older) orders follow, and the cursor to get them. */
  pageInfo: PageInfo;
};

/** One order of a page, with its cursor. */
export type OrderEdge = {
  __typename?: 'OrderEdge';
  /** Opaque position of this order: pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The order. */
  node: Order;
};

/** One line of an order: a product, how many, and at what price. */
export type OrderItem = {
  __typename?: 'OrderItem';
  /** unitPrice times quantity. */
  lineTotal: Money;
  /** The product ordered; its current fields come from Catalog. */
  product: Product;
  /** The product's name when the order was placed. */
  productName: Scalars['String']['output'];
  /** Units ordered, 1 to 1,000. */
  quantity: Scalars['Int']['output'];
  /** The product's price when the order was placed. */
  unitPrice: Money;
};

/** One line of a new order. */
export type OrderItemInput = {
  /** Id of a Catalog product; NOT_FOUND when there is none. */
  productId: Scalars['ID']['input'];
  /** 1..1000 per line. */
  quantity: Scalars['Int']['input'];
};

/** PENDING -> CONFIRMED -> SHIPPED -> COMPLETED (or CONFIRMED -> COMPLETED by hand); PENDING or CONFIRMED -> CANCELLED (also when unpaid at paymentDueAt). */
export type OrderStatus =
  /** Cancelled by its owner or an admin, or because it was not paid by paymentDueAt. Final. */
  | 'CANCELLED'
  /** Fulfilled: delivered (markOrderDelivered) or completed by an admin. Final; Rewards then issues the reward points asynchronously. */
  | 'COMPLETED'
  /** Payment authorized (or confirmed by an admin by hand, e.g. a bank transfer); not yet fulfilled. */
  | 'CONFIRMED'
  /** Placed, stock held, awaiting payment until paymentDueAt (startPayment). */
  | 'PENDING'
  /** The payment is captured and the parcel left with a carrier (shipOrder); Order.shipment has the tracking. No longer cancellable. */
  | 'SHIPPED';

/** One status change of an order, as orderStatusChanged delivers it. */
export type OrderStatusUpdate = {
  __typename?: 'OrderStatusUpdate';
  /** When the change happened (the order's updatedAt after it). */
  at: Scalars['DateTime']['output'];
  /** The order as it is when the update is sent, with any fields of the supergraph (read with the subscriber's identity). */
  order: Order;
  /** The status before this change; null when the order was just placed (PENDING). */
  previousStatus?: Maybe<OrderStatus>;
  /** The status the order changed to. */
  status: OrderStatus;
  /** The order's version after this change (see Order.version). Keep the last one received and pass it as orderStatusChanged's afterVersion when subscribing again, e.g. after a reconnect. */
  version: Scalars['Int']['output'];
};

/** Where a page of a connection ends (Relay cursor connections). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of this page's last item: pass it as `after` to get the next page; null when the page is empty. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** What to order. */
export type PlaceOrderInput = {
  /** The customer's contact email for this order (receipt, shipping news): at most 254 characters. Optional like shippingAddress, and needed to ship. */
  email?: InputMaybe<Scalars['String']['input']>;
  /** Repeating a call with the same key returns the same order; the same key with other items, another shipping address or another email is CONFLICT. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** 1..50 lines; the same product twice is merged into one line. */
  items: Array<OrderItemInput>;
  /** Where the order goes. Optional so older clients keep working, but an order without one cannot ship until setShippingAddress gives it. */
  shippingAddress?: InputMaybe<AddressInput>;
};

/** A product as Catalog serves it; Orders only refers to it. */
export type Product = {
  __typename?: 'Product';
  /** Unique, immutable id assigned by Catalog. */
  id: Scalars['ID']['output'];
};

/** Reads. Anonymous callers may read the catalog; orders and rewards need a token (Authorization: Bearer <JWT>). */
export type Query = {
  __typename?: 'Query';
  /** The caller. UNAUTHENTICATED when anonymous. */
  me?: Maybe<Customer>;
  /** Owner or admin; others get FORBIDDEN. Null when there is no such order. */
  order?: Maybe<Order>;
  /** Admin only: every customer's orders, newest first, optionally of one status. first: 1..100. */
  orders: OrderConnection;
};


/** Reads. Anonymous callers may read the catalog; orders and rewards need a token (Authorization: Bearer <JWT>). */
export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


/** Reads. Anonymous callers may read the catalog; orders and rewards need a token (Authorization: Bearer <JWT>). */
export type QueryOrdersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<OrderStatus>;
};

/** How the parcel of an order left: the carrier and its tracking number. */
export type ShipOrderInput = {
  /** The carrier's name (UPS, FedEx, USPS, DHL... or any other, 1 to 100 characters); known carriers get a tracking link. */
  carrier: Scalars['String']['input'];
  /** The carrier's tracking number (1 to 100 characters); for a known carrier it must fit its format and check digit, else BAD_USER_INPUT. */
  trackingNumber: Scalars['String']['input'];
};

/** Live updates, over graphql-ws (WebSocket) or multipart HTTP on /graphql; a token is required. */
export type Subscription = {
  __typename?: 'Subscription';
  /** Owner or admin. Each status change of the order, with any fields of the supergraph, once each and in version order. */
  orderStatusChanged: OrderStatusUpdate;
};


/** Live updates, over graphql-ws (WebSocket) or multipart HTTP on /graphql; a token is required. */
export type SubscriptionOrderStatusChangedArgs = {
  afterVersion?: InputMaybe<Scalars['Int']['input']>;
  orderId: Scalars['ID']['input'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Customer: Customer;
  Order: Order;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Customer:
    ( { __typename: 'Customer' }
    & GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}> );
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Address: ResolverTypeWrapper<Address>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AddressInput: AddressInput;
  Customer: ResolverTypeWrapper<CustomerRefModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Money: ResolverTypeWrapper<MoneyPropsModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<OrderModel>;
  OrderConnection: ResolverTypeWrapper<Omit<OrderConnection, 'edges'> & { edges: Array<ResolversTypes['OrderEdge']> }>;
  OrderEdge: ResolverTypeWrapper<Omit<OrderEdge, 'node'> & { node: ResolversTypes['Order'] }>;
  OrderItem: ResolverTypeWrapper<OrderItemModel>;
  OrderItemInput: OrderItemInput;
  OrderStatus: OrderStatus;
  OrderStatusUpdate: ResolverTypeWrapper<OrderStatusUpdateRefModel>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  PlaceOrderInput: PlaceOrderInput;
  Product: ResolverTypeWrapper<ProductRefModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ShipOrderInput: ShipOrderInput;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Address: Address;
  String: Scalars['String']['output'];
  AddressInput: AddressInput;
  Customer: CustomerRefModel;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  DateTime: Scalars['DateTime']['output'];
  Money: MoneyPropsModel;
  Mutation: Record<PropertyKey, never>;
  Order: OrderModel;
  OrderConnection: Omit<OrderConnection, 'edges'> & { edges: Array<ResolversParentTypes['OrderEdge']> };
  OrderEdge: Omit<OrderEdge, 'node'> & { node: ResolversParentTypes['Order'] };
  OrderItem: OrderItemModel;
  OrderItemInput: OrderItemInput;
  OrderStatusUpdate: OrderStatusUpdateRefModel;
  PageInfo: PageInfo;
  Boolean: Scalars['Boolean']['output'];
  PlaceOrderInput: PlaceOrderInput;
  Product: ProductRefModel;
  Query: Record<PropertyKey, never>;
  ShipOrderInput: ShipOrderInput;
  Subscription: Record<PropertyKey, never>;
}>;

export type AddressResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Address'] = ResolversParentTypes['Address']> = ResolversObject<{
  city?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  country?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  line1?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  line2?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  postalCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  region?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type CustomerResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<CustomerOrdersArgs, 'first'>>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MoneyResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  cancelOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationCancelOrderArgs, 'id'>>;
  completeOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationCompleteOrderArgs, 'id'>>;
  confirmOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationConfirmOrderArgs, 'id'>>;
  markOrderDelivered?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationMarkOrderDeliveredArgs, 'id'>>;
  placeOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationPlaceOrderArgs, 'input'>>;
  setShippingAddress?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationSetShippingAddressArgs, 'address' | 'email' | 'orderId'>>;
  shipOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationShipOrderArgs, 'id' | 'input'>>;
}>;

export type OrderResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  customer?: Resolver<ResolversTypes['Customer'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['OrderItem']>, ParentType, ContextType>;
  paymentDueAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  placedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  shippingAddress?: Resolver<Maybe<ResolversTypes['Address']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type OrderConnectionResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderConnection'] = ResolversParentTypes['OrderConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['OrderEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type OrderEdgeResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderEdge'] = ResolversParentTypes['OrderEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
}>;

export type OrderItemResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderItem'] = ResolversParentTypes['OrderItem']> = ResolversObject<{
  lineTotal?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  productName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unitPrice?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
}>;

export type OrderStatusUpdateResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['OrderStatusUpdate'] = ResolversParentTypes['OrderStatusUpdate']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  order?: Resolver<ResolversTypes['Order'], ParentType, ContextType>;
  previousStatus?: Resolver<Maybe<ResolversTypes['OrderStatus']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  me?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
  orders?: Resolver<ResolversTypes['OrderConnection'], ParentType, ContextType, RequireFields<QueryOrdersArgs, 'first'>>;
}>;

export type SubscriptionResolvers<ContextType = OrdersContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  orderStatusChanged?: SubscriptionResolver<ResolversTypes['OrderStatusUpdate'], "orderStatusChanged", ParentType, ContextType, RequireFields<SubscriptionOrderStatusChangedArgs, 'orderId'>>;
}>;

export type Resolvers<ContextType = OrdersContext> = ResolversObject<{
  Address?: AddressResolvers<ContextType>;
  Customer?: CustomerResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderConnection?: OrderConnectionResolvers<ContextType>;
  OrderEdge?: OrderEdgeResolvers<ContextType>;
  OrderItem?: OrderItemResolvers<ContextType>;
  OrderStatusUpdate?: OrderStatusUpdateResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
}>;

