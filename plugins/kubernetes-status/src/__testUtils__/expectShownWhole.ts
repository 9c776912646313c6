/**
 * Asserts an element shows its message whole: the text is all there, it is
 * not styled to stay on one line or to be cut with an ellipsis, long tokens
 * break, the full text is its title, and it is not hidden from screen readers.
 */
export function expectShownWhole(element: HTMLElement, text: string) {
  expect(element.textContent).toBe(text);
  const style = getComputedStyle(element);
  expect(style.whiteSpace).not.toBe('nowrap');
  expect(style.textOverflow).not.toBe('ellipsis');
  expect(style.overflow).not.toBe('hidden');
  // Long tokens (paths, field names) break rather than overflow.
  expect(style.wordBreak).toBe('break-word');
  expect(element).toHaveAttribute('title', text);
  // Backstage's Status* spans are aria-hidden: the message must not be in one.
  expect(element.closest('[aria-hidden="true"]')).toBeNull();
}

/** A reported message whose cause is at the very end. */
export const longKubernetesMessage =
  'Deployment/commerce/orders-service dry-run failed: Deployment.apps "orders-service" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1';
