import { useEffect, useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  EntityStatusResponse,
  kubernetesStatusSignalChannel,
} from '@paved/plugin-kubernetes-status-common';
import { kubernetesStatusApiRef } from '../api/KubernetesStatusApi';

/** Polling interval used only when push (signals) is unavailable. */
export const FALLBACK_POLL_MS = 15_000;

/** @public */
export interface EntityKubernetesStatusState {
  value?: EntityStatusResponse;
  loading: boolean;
  error?: Error;
  /** How the view stays current: server push, or polling when push is unavailable. */
  updates: 'push' | 'polling';
  retry(): void;
}

/**
 * The current entity's Kubernetes status, refetched when the backend signals
 * a change of its objects; polls only when signals are unavailable.
 * @public
 */
export function useEntityKubernetesStatus(): EntityKubernetesStatusState {
  const { entity } = useEntity();
  const api = useApi(kubernetesStatusApiRef);
  const entityRef = stringifyEntityRef(entity);
  const [value, setValue] = useState<EntityStatusResponse>();
  const state = useAsyncRetry(async () => {
    const status = await api.getEntityStatus(getCompoundEntityRef(entity));
    setValue(status);
    return status;
  }, [api, entityRef]);
  const { lastSignal, isSignalsAvailable } = useSignal(
    kubernetesStatusSignalChannel(entityRef),
  );
  const retryRef = useRef(state.retry);
  retryRef.current = state.retry;

  useEffect(() => {
    if (lastSignal) retryRef.current();
  }, [lastSignal]);

  useEffect(() => {
    if (isSignalsAvailable) return undefined;
    const timer = setInterval(() => retryRef.current(), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [isSignalsAvailable]);

  // Keep showing the last answer while a refetch runs, so live updates do not flash.
  return {
    value: state.value ?? value,
    loading: state.loading && !value,
    error: state.error,
    updates: isSignalsAvailable ? 'push' : 'polling',
    retry: state.retry,
  };
}
