import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import { loadStripe, type Stripe } from '@stripe/stripe-js';
import { useState, type FormEvent } from 'react';
import { outcomeOfError, outcomeOfStatus } from './confirm-outcome';
import type { CardFormProps } from './card-form';

/**
 * Stripe.js is loaded from js.stripe.com (Stripe requires it never be bundled or self-hosted) once per key, and only
 * when a card form is shown: this module is imported on demand, so pages without a payment never load it.
 */
const stripes = new Map<string, Promise<Stripe | null>>();
function stripeFor(publishableKey: string): Promise<Stripe | null> {
  let stripe = stripes.get(publishableKey);
  if (!stripe) {
    stripe = loadStripe(publishableKey);
    stripes.set(publishableKey, stripe);
  }
  return stripe;
}

function PaymentForm({ payLabel, onOutcome, disabled }: Pick<CardFormProps, 'payLabel' | 'onOutcome' | 'disabled'>) {
  const stripe = useStripe();
  const elements = useElements();
  const [paying, setPaying] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!stripe || !elements) return;
    setPaying(true);
    try {
      // Cards confirm in place; methods that must leave the page (bank redirects, some 3-D Secure) come back to
      // this order page, which follows the payment live.
      const result = await stripe.confirmPayment({ elements, redirect: 'if_required', confirmParams: { return_url: window.location.href } });
      onOutcome(result.error ? outcomeOfError(result.error) : outcomeOfStatus(result.paymentIntent.status));
    } finally {
      setPaying(false);
    }
  };

  return (
    <form className="card-form stripe" aria-label="Pay by card" onSubmit={(event) => void submit(event)}>
      <PaymentElement />
      <button type="submit" className="primary" disabled={!stripe || !elements || paying || disabled}>
        {paying ? 'Paying…' : payLabel}
      </button>
    </form>
  );
}

/** The card form with a real STRIPE_PUBLISHABLE_KEY: Stripe's Payment Element for the PaymentIntent's client secret. */
export default function StripeCardForm({ publishableKey, clientSecret, ...form }: CardFormProps) {
  return (
    <Elements stripe={stripeFor(publishableKey)} options={{ clientSecret }} key={clientSecret}>
      <PaymentForm {...form} />
    </Elements>
  );
}
