// MLflow's REST shapes, as the server sends them (snake_case; int64 values may come as strings).

export interface KeyValue { key: string; value: string }
export interface Metric { key: string; value: number; timestamp: number; step: number; run_id?: string }

export interface Experiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage: 'active' | 'deleted';
  last_update_time?: number;
  creation_time?: number;
  tags?: KeyValue[];
}

export interface RunInfo {
  run_id: string;
  run_name?: string;
  experiment_id: string;
  user_id?: string;
  status: 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
  start_time?: number;
  end_time?: number;
  artifact_uri?: string;
  lifecycle_stage: 'active' | 'deleted';
}

export interface DatasetInput {
  tags?: KeyValue[];
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
}

export interface Run {
  info: RunInfo;
  data: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] };
  inputs?: { dataset_inputs?: DatasetInput[]; model_inputs?: { model_id: string }[] };
  outputs?: { model_outputs?: { model_id: string; step: number }[] };
}

export interface FileInfo { path: string; is_dir: boolean; file_size?: number | string }

export interface LoggedModel {
  info: {
    model_id: string; name: string; experiment_id: string; source_run_id?: string; artifact_uri?: string;
    status?: string; creation_timestamp_ms?: number; model_type?: string;
  };
  data?: { params?: KeyValue[]; metrics?: Metric[] };
}

/** The tag MLflow keeps a run's notes in; also the experiment's description. */
export const NOTE_TAG = 'mlflow.note.content';
export const PARENT_TAG = 'mlflow.parentRunId';

export function tag(run: Run, key: string): string | undefined {
  return run.data.tags?.find(t => t.key === key)?.value;
}
