import { useI18n } from '../i18n/context';
import { uploadFraction } from '../lib/upload';
import { ErrorBox } from './ui';
import type { UploadJob } from './useUploadJob';

interface Props {
  job: UploadJob;
  /** Sends the same recording again. */
  onRetry: () => void;
  /** Throws the recording away to record another. */
  onRerecord: () => void;
}

/** The upload of a recording: bytes sent, cancel, retry or record again. */
export function UploadPanel({ job, onRetry, onRerecord }: Props) {
  const { m, f } = useI18n();
  const { upload } = job;
  const frac = uploadFraction(upload);
  return (
    <section class="upload card" aria-labelledby="upload-title">
      <h2 id="upload-title">{m.record.upload}</h2>
      <label for="upload-progress">
        {upload.kind === 'uploading' && m.record.uploading(f.bytes(upload.loaded), f.bytes(upload.total), f.percent(frac))}
        {upload.kind === 'uploaded' && m.record.uploaded}
        {upload.kind === 'cancelled' && m.record.uploadCancelled}
        {upload.kind === 'failed' && m.record.uploadFailed}
        {upload.kind === 'idle' && m.record.uploadWaiting}
      </label>
      <progress id="upload-progress" max={1} value={frac} data-state={upload.kind} />
      {upload.kind === 'uploading' && (
        <button type="button" class="secondary" onClick={job.cancel}>{m.record.cancelUpload}</button>
      )}
      {(upload.kind === 'failed' || upload.kind === 'cancelled') && (
        <div class="buttons">
          <button type="button" onClick={onRetry}>{m.record.retryUpload}</button>
          <button type="button" class="secondary" onClick={onRerecord}>{m.record.rerecord}</button>
        </div>
      )}
      <ErrorBox error={job.error} />
    </section>
  );
}
