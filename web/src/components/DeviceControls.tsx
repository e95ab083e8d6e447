import { useI18n } from '../i18n/context';
import type { Camera } from './useCamera';

/** The microphone level and the choice of camera and microphone (labels and controls, for a form's column). */
export function DeviceControls({ camera, locked }: { camera: Camera; locked: boolean }) {
  const { m } = useI18n();
  const { devices, camId, micId } = camera;
  return (
    <>
      <label for="mic-level">{m.record.micLevel}</label>
      <meter id="mic-level" ref={camera.meterRef} min={0} max={1} low={0.25} high={0.9} optimum={0.6} value={0} />
      <label for="camera-select">{m.record.camera}</label>
      <select id="camera-select" value={camId} disabled={locked || devices.cams.length === 0}
        onChange={(e) => camera.start(e.currentTarget.value, micId)}>
        {devices.cams.length === 0 && <option value="">{m.record.noCamera}</option>}
        {devices.cams.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || m.record.cameraN(i + 1)}</option>)}
      </select>
      <label for="mic-select">{m.record.microphone}</label>
      <select id="mic-select" value={micId} disabled={locked || devices.mics.length === 0}
        onChange={(e) => camera.start(camId, e.currentTarget.value)}>
        {devices.mics.length === 0 && <option value="">{m.record.noMicrophone}</option>}
        {devices.mics.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{d.label || m.record.microphoneN(i + 1)}</option>)}
      </select>
    </>
  );
}
