/** Camunda 7's Java delegates (`camunda:class`, `camunda:delegateExpression`) and the external task topic each becomes when the operator opts in. */

export const JAVA_DELEGATE_ATTRIBUTES = ['class', 'delegateExpression'] as const;

export type JavaDelegateAttribute = (typeof JAVA_DELEGATE_ATTRIBUTES)[number];

export interface JavaDelegate {
  attribute: JavaDelegateAttribute;
  value: string;
  /** The class name, or the bean a delegate expression names; null when the expression is more than one bean name. */
  topic: string | null;
}

interface DelegateCarrier {
  class?: string;
  delegateExpression?: string;
  type?: string;
  topic?: string;
}

/** `${chargeCard}` or `#{chargeCard}`: a bean name alone, the only expression a worker's topic can stand for. */
const BEAN_NAME = /^\s*[$#]\{\s*([A-Za-z_$][\w$]*)\s*\}\s*$/;

/** The Java delegate on a service, send or business rule task or a message event definition, if any. */
export function javaDelegateOf(element: object): JavaDelegate | null {
  const carrier = element as DelegateCarrier;
  if (carrier.class !== undefined) return { attribute: 'class', value: carrier.class, topic: carrier.class.trim() || null };
  if (carrier.delegateExpression !== undefined) {
    return { attribute: 'delegateExpression', value: carrier.delegateExpression, topic: BEAN_NAME.exec(carrier.delegateExpression)?.[1] ?? null };
  }
  return null;
}

/** Turns the delegate into `camunda:type="external"` on its topic, which the runtime then treats as any external task. */
export function runDelegateAsExternalTask(element: object, delegate: JavaDelegate & { topic: string }): void {
  const carrier = element as DelegateCarrier;
  delete carrier[delegate.attribute];
  carrier.type = 'external';
  carrier.topic = delegate.topic;
}
