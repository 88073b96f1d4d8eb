/** The request form's "Let me approve the plan": the task waits with its plan until approved. */
export function ApprovalOption(
  { checked, onChange }: { checked?: boolean; onChange?: (checked: boolean) => void },
) {
  return (
    <label class="checkbox">
      <input
        type="checkbox"
        name="require_approval"
        value="true"
        checked={checked}
        onChange={(e) => onChange?.(e.currentTarget.checked)}
      />{" "}
      Let me approve the plan
    </label>
  );
}
