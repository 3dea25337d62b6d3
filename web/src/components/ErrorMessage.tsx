import { describeErrors } from '../errors/describe-error';

/** A failed request in plain words, announced to screen readers as it appears (role="alert"). */
export function ErrorMessage({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const descriptions = describeErrors(error);
  return (
    <div role="alert" className="error">
      {title ? <p className="error-title">{title}</p> : null}
      {descriptions.map((description, index) => (
        <p key={index} data-code={description.code}>
          {description.message}
          {description.detail ? <span className="error-detail"> ({description.detail})</span> : null}
        </p>
      ))}
    </div>
  );
}
