/**
 * The PreAuth key input: write-only. It is a password field the browser is
 * told not to remember, and its owner clears it after every submit.
 */
export function KeyField(props: {
  id: string;
  value: string;
  onChange(value: string): void;
  label?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label ?? 'PreAuth key'}</label>
      <input
        id={props.id}
        type="password"
        autoComplete="new-password"
        spellCheck={false}
        required
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-describedby={`${props.id}-help`}
      />
      <small id={`${props.id}-help`} className="help">
        64 hex digits from <code>zmprov generateDomainPreAuthKey &lt;domain&gt;</code>. It is stored
        encrypted and never shown again.
      </small>
    </div>
  );
}
