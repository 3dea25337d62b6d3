import { useState, type FormEvent } from 'react';
import { confirmWithTestMethod, TEST_METHODS, type TestMethodId } from './test-methods';
import type { CardFormProps } from './card-form';

/**
 * The card form in development and test: Stripe's test payment methods by name, confirmed at the emulator with the
 * publishable key and the client secret, as Stripe.js would (no card number is ever typed or sent).
 */
export function TestMethodsForm({ apiUrl, publishableKey, clientSecret, payLabel, onOutcome, disabled }: CardFormProps & { apiUrl: string }) {
  const [method, setMethod] = useState<TestMethodId>('pm_card_visa');
  const [paying, setPaying] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setPaying(true);
    try {
      onOutcome(await confirmWithTestMethod({ apiUrl, publishableKey, clientSecret, paymentMethod: method }));
    } finally {
      setPaying(false);
    }
  };

  return (
    <form className="card-form" aria-label="Pay with a test card" onSubmit={(event) => void submit(event)}>
      <fieldset>
        <legend>Test card (Stripe test mode: no real card is charged)</legend>
        {TEST_METHODS.map((option) => (
          <label key={option.id} className="test-method">
            <input type="radio" name="test-method" value={option.id} checked={method === option.id} onChange={() => setMethod(option.id)} /> {option.label}{' '}
            <span className="hint">
              ({option.outcome}; <code>{option.id}</code>)
            </span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className="primary" disabled={paying || disabled}>
        {paying ? 'Paying…' : payLabel}
      </button>
    </form>
  );
}
