import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Payment as PaymentModel } from '../../domain/payment';
import type { OrderRef as OrderRefModel, PaymentsContext } from '../payments-context';
import type { MoneyProps as MoneyPropsModel } from '../../../../lib/ddd';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
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
  /** The order's owner starts paying for it: the payment of its total, REQUIRES_PAYMENT, with the client secret to confirm it with. Idempotent: while the order waits for payment, every call answers the same payment (also after a declined attempt). The order must be PENDING (INVALID_ORDER_TRANSITION otherwise); someone else's order FORBIDDEN; an unknown one NOT_FOUND; the provider refusing PAYMENT_FAILED. */
  startPayment: Payment;
};


/** Changes. Each needs a token; who may call is stated on each field. Errors carry extensions.code. */
export type MutationStartPaymentArgs = {
  orderId: Scalars['ID']['input'];
};

/** A customer's order: its lines with the names and prices of the moment it was placed, and its status. */
export type Order = {
  __typename?: 'Order';
  /** Unique, immutable id assigned when the order is placed. */
  id: Scalars['ID']['output'];
  /** The order's payment; null before checkout started (startPayment), and for orders the caller may not see. */
  payment?: Maybe<Payment>;
};

/** The payment of an order, through a payment provider (Stripe PaymentIntents: authorized at checkout, captured when the order ships). */
export type Payment = {
  __typename?: 'Payment';
  /** What the customer is asked to pay: the order's total. */
  amount: Money;
  /** What the paying customer's browser confirms the payment with at the provider (Stripe.js, or the test methods). Only for the order's owner, and only while REQUIRES_PAYMENT or FAILED; null otherwise. */
  clientSecret?: Maybe<Scalars['String']['output']>;
  /** When the payment started. */
  createdAt: Scalars['DateTime']['output'];
  /** FAILED: why the last attempt was declined, as the provider words it for the customer. VOIDED: why the payment was cancelled (the order was cancelled, or confirmed without this payment, or the authorization expired), in words for the customer. Null otherwise. */
  failureReason?: Maybe<Scalars['String']['output']>;
  /** Unique, immutable id assigned when the payment starts. */
  id: Scalars['ID']['output'];
  /** The payment provider, e.g. stripe. */
  provider: Scalars['String']['output'];
  /** The provider's id of this payment (a Stripe PaymentIntent id, pi_...). */
  providerPaymentId: Scalars['String']['output'];
  /** Where the payment stands; the order's status follows it (AUTHORIZED confirms the order). */
  status: PaymentStatus;
  /** When the payment last changed status (createdAt until then). */
  updatedAt: Scalars['DateTime']['output'];
};

/** REQUIRES_PAYMENT -> AUTHORIZED -> CAPTURED -> REFUNDED; REQUIRES_PAYMENT <-> FAILED; anything before CAPTURED -> VOIDED. */
export type PaymentStatus =
  /** The funds are on hold at the provider and the order is confirmed; they are captured when the order ships. */
  | 'AUTHORIZED'
  /** The money is taken (the order shipped). */
  | 'CAPTURED'
  /** The last attempt was declined (failureReason says why); the customer may try again with the same client secret until the order's paymentDueAt. */
  | 'FAILED'
  /** The captured money was given back, because the order was cancelled after capture. */
  | 'REFUNDED'
  /** Started: the customer confirms it with the client secret (a card form, or a test payment method). */
  | 'REQUIRES_PAYMENT'
  /** Cancelled before capture, because the order was cancelled (by its owner, an admin or its payment deadline), the order was confirmed without this payment (by an admin by hand: paid otherwise), or the authorization expired: nothing is held or taken. failureReason says which. */
  | 'VOIDED';

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
  Order: Order;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Order:
    ( { __typename: 'Order' }
    & GraphQLRecursivePick<FederationTypes['Order'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Money: ResolverTypeWrapper<MoneyPropsModel>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Order: ResolverTypeWrapper<OrderRefModel>;
  Payment: ResolverTypeWrapper<PaymentModel>;
  PaymentStatus: PaymentStatus;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  DateTime: Scalars['DateTime']['output'];
  Money: MoneyPropsModel;
  Int: Scalars['Int']['output'];
  String: Scalars['String']['output'];
  Mutation: Record<PropertyKey, never>;
  ID: Scalars['ID']['output'];
  Order: OrderRefModel;
  Payment: PaymentModel;
  Boolean: Scalars['Boolean']['output'];
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MoneyResolvers<ContextType = PaymentsContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = PaymentsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  startPayment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType, RequireFields<MutationStartPaymentArgs, 'orderId'>>;
}>;

export type OrderResolvers<ContextType = PaymentsContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  payment?: Resolver<Maybe<ResolversTypes['Payment']>, ParentType, ContextType>;
}>;

export type PaymentResolvers<ContextType = PaymentsContext, ParentType extends ResolversParentTypes['Payment'] = ResolversParentTypes['Payment']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  clientSecret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  failureReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  providerPaymentId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PaymentStatus'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = PaymentsContext> = ResolversObject<{
  DateTime?: GraphQLScalarType;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  Payment?: PaymentResolvers<ContextType>;
}>;

