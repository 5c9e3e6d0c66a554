// Validates a Kubernetes object against its API's OpenAPI schema, through kubernetes-models' generated
// validators (Kubernetes' own definitions; prometheus-operator's CRDs for ServiceMonitor). Like
// kubeconform without --strict: types, required fields, enums and formats, not unknown fields.
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';

const MODELS = new Map(
  [
    Deployment,
    Service,
    ServiceAccount,
    ConfigMap,
    Secret,
    Ingress,
    HorizontalPodAutoscaler,
    PodDisruptionBudget,
    Job,
    ServiceMonitor,
  ].map((M) => [`${M.apiVersion}/${M.kind}`, M]),
);

/** Problems with `object` (empty when valid). */
export function validateKubernetesObject(object) {
  const M = MODELS.get(`${object?.apiVersion}/${object?.kind}`);
  if (!M)
    return [`no schema for ${object?.apiVersion} ${object?.kind} (unknown or not allowed in this chart)`];
  if (!object.metadata?.name) return ['metadata.name is missing'];
  try {
    new M(object).validate();
    return [];
  } catch (e) {
    return String(e.message)
      .split(/,\s*(?=data)/)
      .map((s) => s.trim());
  }
}
