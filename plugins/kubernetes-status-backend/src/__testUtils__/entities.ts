/** A catalog component whose objects carry `backstage.io/kubernetes-id: orders`. */
export const ordersComponent = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'orders' },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team-commerce',
    lifecycle: 'production',
  },
};
