import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { MyRewardsDocument, RedeemPointsDocument, type RewardTier } from '../__generated__/graphql';
import { DateTime } from '../components/DateTime';
import { ErrorMessage } from '../components/ErrorMessage';
import { useSession } from '../session/SessionProvider';
import { SignInPrompt } from './SignInPrompt';

const TIER_WORDS: Record<RewardTier, string> = {
  BRONZE: 'Bronze (1 point per whole currency unit spent)',
  SILVER: 'Silver (1.25 points per unit, from 1,000 lifetime points)',
  GOLD: 'Gold (1.5 points per unit, from 5,000 lifetime points)',
};

export function RewardsPage() {
  const { session } = useSession();
  const { data, loading, error } = useQuery(MyRewardsDocument, { skip: !session, fetchPolicy: 'cache-and-network' });
  const [redeem, redeeming] = useMutation(RedeemPointsDocument, { refetchQueries: [MyRewardsDocument], awaitRefetchQueries: true });
  const [points, setPoints] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [announcement, setAnnouncement] = useState('');

  if (!session) return <SignInPrompt what="see your reward points" />;
  const rewards = data?.me?.rewards;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    redeeming.reset();
    const value = Number(points);
    if (!Number.isSafeInteger(value) || value < 1) {
      setProblem(`Enter a whole number of points, 1 or more; "${points}" is not one.`);
      return;
    }
    setProblem(undefined);
    const result = await redeem({ variables: { points: value } }).catch(() => undefined);
    if (result?.data) {
      setAnnouncement(`Redeemed ${value} points. Your balance is now ${result.data.redeemPoints.balance} points.`);
      setPoints('');
    }
  };

  return (
    <section aria-labelledby="rewards-heading">
      <h1 id="rewards-heading">Your reward points</h1>
      <ErrorMessage error={error} title="Your reward points could not be loaded." />
      {loading && !rewards ? <p aria-busy="true">Loading your points…</p> : null}
      {rewards ? (
        <>
          <dl className="rewards">
            <dt>Balance</dt>
            <dd data-testid="reward-balance">{rewards.balance} points</dd>
            <dt>Tier</dt>
            <dd>{TIER_WORDS[rewards.tier]}</dd>
            <dt>Lifetime points</dt>
            <dd>{rewards.lifetimePoints}</dd>
          </dl>
          <form onSubmit={(event) => void submit(event)} className="redeem" aria-labelledby="redeem-heading">
            <h2 id="redeem-heading">Redeem points</h2>
            <label htmlFor="redeem-points">Points to redeem</label>
            <input id="redeem-points" type="number" inputMode="numeric" min={1} step={1} required value={points} onChange={(event) => setPoints(event.target.value)} />
            <button type="submit" disabled={redeeming.loading}>
              Redeem
            </button>
          </form>
          {problem ? (
            <p role="alert" className="error">
              {problem}
            </p>
          ) : null}
          <ErrorMessage error={redeeming.error} title="No points were redeemed." />
          <p role="status" className="announcement">
            {announcement}
          </p>
          <h2>Recent activity</h2>
          {rewards.transactions.edges.length === 0 ? (
            <p>No points yet: complete an order to earn some.</p>
          ) : (
            <ul className="transactions">
              {rewards.transactions.edges.map(({ node }) => (
                <li key={node.id}>
                  <DateTime value={node.occurredAt} />: {node.type === 'ISSUED' ? '+' : '−'}
                  {node.points} points {node.type.toLowerCase()}
                  {node.order ? ` (order ${node.order.id})` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
