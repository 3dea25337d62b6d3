import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { RewardAccount as RewardAccountModel } from '../../domain/reward-account';
import type { RewardTransaction as RewardTransactionModel } from '../../domain/reward-transaction';
import type { CustomerRef as CustomerRefModel, OrderRef as OrderRefModel, RewardsContext } from '../rewards-context';
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

/** A customer: the `sub` of their token. Orders and Rewards each contribute fields. */
export type Customer = {
  __typename?: 'Customer';
  /** The customer's id: the `sub` claim of their token. */
  id: Scalars['ID']['output'];
  /** The customer themself or an admin. */
  rewards: RewardAccount;
};

/** Changes. Each needs a token; who may call is stated on each field. Errors carry extensions.code. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Customer. INSUFFICIENT_POINTS when the balance is short. */
  redeemPoints: RewardAccount;
};


/** Changes. Each needs a token; who may call is stated on each field. Errors carry extensions.code. */
export type MutationRedeemPointsArgs = {
  points: Scalars['Int']['input'];
};

/** A customer's order: its lines with the names and prices of the moment it was placed, and its status. */
export type Order = {
  __typename?: 'Order';
  /** Unique, immutable id assigned when the order is placed. */
  id: Scalars['ID']['output'];
  /** Points this order earned; null until they are issued (after the order completes). */
  rewardPoints?: Maybe<Scalars['Int']['output']>;
};

/** Where a page of a connection ends (Relay cursor connections). */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The cursor of this page's last item: pass it as `after` to get the next page; null when the page is empty. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** A customer's loyalty points. Every customer has one, empty until their first completed order. */
export type RewardAccount = {
  __typename?: 'RewardAccount';
  /** Points available to redeem; never below zero. */
  balance: Scalars['Int']['output'];
  /** Every point ever issued; decides the tier. */
  lifetimePoints: Scalars['Int']['output'];
  /** Decided by lifetimePoints; it sets how many points the next completed order earns. */
  tier: RewardTier;
  /** Newest first. first: 1..100. */
  transactions: RewardTransactionConnection;
};


/** A customer's loyalty points. Every customer has one, empty until their first completed order. */
export type RewardAccountTransactionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** BRONZE below 1,000 lifetime points, SILVER from 1,000, GOLD from 5,000. */
export type RewardTier =
  /** Below 1,000 lifetime points: 1 point per whole currency unit of a completed order. */
  | 'BRONZE'
  /** From 5,000 lifetime points: 1.5 points per whole currency unit, rounded down. */
  | 'GOLD'
  /** From 1,000 lifetime points: 1.25 points per whole currency unit, rounded down. */
  | 'SILVER';

/** One movement of points. */
export type RewardTransaction = {
  __typename?: 'RewardTransaction';
  /** Unique id of the transaction. */
  id: Scalars['ID']['output'];
  /** When the points moved. */
  occurredAt: Scalars['DateTime']['output'];
  /** The order that earned the points (ISSUED only). */
  order?: Maybe<Order>;
  /** How many points moved; always positive (the type says in which direction). */
  points: Scalars['Int']['output'];
  /** Issued, redeemed or expired. */
  type: RewardTransactionType;
};

/** A page of transactions, newest first (Relay cursor connection). */
export type RewardTransactionConnection = {
  __typename?: 'RewardTransactionConnection';
  /** The transactions of this page, newest first. */
  edges: Array<RewardTransactionEdge>;
  /** Whether more (older) transactions follow, and the cursor to get them. */
  pageInfo: PageInfo;
};

/** One transaction of a page, with its cursor. */
export type RewardTransactionEdge = {
  __typename?: 'RewardTransactionEdge';
  /** Opaque position of this transaction: pass it as `after` to continue after it. */
  cursor: Scalars['String']['output'];
  /** The transaction. */
  node: RewardTransaction;
};

/** What moved points in or out of an account. */
export type RewardTransactionType =
  /** Points that expired unused after 12 months. */
  | 'EXPIRED'
  /** Points earned by a completed order (once per order). */
  | 'ISSUED'
  /** Points spent with redeemPoints. */
  | 'REDEEMED';

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
  Customer: ResolverTypeWrapper<CustomerRefModel>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Order: ResolverTypeWrapper<OrderRefModel>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  RewardAccount: ResolverTypeWrapper<RewardAccountModel>;
  RewardTier: RewardTier;
  RewardTransaction: ResolverTypeWrapper<RewardTransactionModel>;
  RewardTransactionConnection: ResolverTypeWrapper<Omit<RewardTransactionConnection, 'edges'> & { edges: Array<ResolversTypes['RewardTransactionEdge']> }>;
  RewardTransactionEdge: ResolverTypeWrapper<Omit<RewardTransactionEdge, 'node'> & { node: ResolversTypes['RewardTransaction'] }>;
  RewardTransactionType: RewardTransactionType;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Customer: CustomerRefModel;
  ID: Scalars['ID']['output'];
  DateTime: Scalars['DateTime']['output'];
  Mutation: Record<PropertyKey, never>;
  Int: Scalars['Int']['output'];
  Order: OrderRefModel;
  PageInfo: PageInfo;
  String: Scalars['String']['output'];
  Boolean: Scalars['Boolean']['output'];
  RewardAccount: RewardAccountModel;
  RewardTransaction: RewardTransactionModel;
  RewardTransactionConnection: Omit<RewardTransactionConnection, 'edges'> & { edges: Array<ResolversParentTypes['RewardTransactionEdge']> };
  RewardTransactionEdge: Omit<RewardTransactionEdge, 'node'> & { node: ResolversParentTypes['RewardTransaction'] };
}>;

export type CustomerResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rewards?: Resolver<ResolversTypes['RewardAccount'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MutationResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  redeemPoints?: Resolver<ResolversTypes['RewardAccount'], ParentType, ContextType, RequireFields<MutationRedeemPointsArgs, 'points'>>;
}>;

export type OrderResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order'], FederationReferenceType extends FederationReferenceTypes['Order'] = FederationReferenceTypes['Order']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Order']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rewardPoints?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type PageInfoResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type RewardAccountResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RewardAccount'] = ResolversParentTypes['RewardAccount']> = ResolversObject<{
  balance?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lifetimePoints?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tier?: Resolver<ResolversTypes['RewardTier'], ParentType, ContextType>;
  transactions?: Resolver<ResolversTypes['RewardTransactionConnection'], ParentType, ContextType, RequireFields<RewardAccountTransactionsArgs, 'first'>>;
}>;

export type RewardTransactionResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RewardTransaction'] = ResolversParentTypes['RewardTransaction']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  points?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['RewardTransactionType'], ParentType, ContextType>;
}>;

export type RewardTransactionConnectionResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RewardTransactionConnection'] = ResolversParentTypes['RewardTransactionConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['RewardTransactionEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type RewardTransactionEdgeResolvers<ContextType = RewardsContext, ParentType extends ResolversParentTypes['RewardTransactionEdge'] = ResolversParentTypes['RewardTransactionEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['RewardTransaction'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = RewardsContext> = ResolversObject<{
  Customer?: CustomerResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  RewardAccount?: RewardAccountResolvers<ContextType>;
  RewardTransaction?: RewardTransactionResolvers<ContextType>;
  RewardTransactionConnection?: RewardTransactionConnectionResolvers<ContextType>;
  RewardTransactionEdge?: RewardTransactionEdgeResolvers<ContextType>;
}>;

