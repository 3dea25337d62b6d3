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

export type Customer = {
  __typename?: 'Customer';
  id: Scalars['ID']['output'];
  /** The customer themself or an admin. */
  rewards: RewardAccount;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Customer. INSUFFICIENT_POINTS when the balance is short. */
  redeemPoints: RewardAccount;
};


export type MutationRedeemPointsArgs = {
  points: Scalars['Int']['input'];
};

export type Order = {
  __typename?: 'Order';
  id: Scalars['ID']['output'];
  /** Points this order earned; null until they are issued (after the order completes). */
  rewardPoints?: Maybe<Scalars['Int']['output']>;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type RewardAccount = {
  __typename?: 'RewardAccount';
  /** Points available to redeem; never below zero. */
  balance: Scalars['Int']['output'];
  /** Every point ever issued; decides the tier. */
  lifetimePoints: Scalars['Int']['output'];
  tier: RewardTier;
  /** Newest first. first: 1..100. */
  transactions: RewardTransactionConnection;
};


export type RewardAccountTransactionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** BRONZE below 1,000 lifetime points, SILVER from 1,000, GOLD from 5,000. */
export type RewardTier =
  | 'BRONZE'
  | 'GOLD'
  | 'SILVER';

export type RewardTransaction = {
  __typename?: 'RewardTransaction';
  id: Scalars['ID']['output'];
  occurredAt: Scalars['DateTime']['output'];
  /** The order that earned the points (ISSUED only). */
  order?: Maybe<Order>;
  points: Scalars['Int']['output'];
  type: RewardTransactionType;
};

export type RewardTransactionConnection = {
  __typename?: 'RewardTransactionConnection';
  edges: Array<RewardTransactionEdge>;
  pageInfo: PageInfo;
};

export type RewardTransactionEdge = {
  __typename?: 'RewardTransactionEdge';
  cursor: Scalars['String']['output'];
  node: RewardTransaction;
};

export type RewardTransactionType =
  | 'EXPIRED'
  | 'ISSUED'
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

