import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { MOCK_BASE, momentOf } from '../lib/mock';

/** How long to wait for the report's video to appear, ms (the report may still be loading). */
const WAIT_MS = 30000;

/**
 * Opens a report at a moment: with ?t=SECONDS in the address, once the
 * report's video (#report-video) is there and knows its length, moves it
 * to that second and brings it into view. The report's transcript and
 * charts follow the video's "seeked" event, so they move along. Rendered
 * beside the router (app.tsx): it acts on /interviews/<id> only.
 */
export function SeekOnOpen() {
  const { query, path } = useLocation();
  const t = path.startsWith('/interviews/') && !path.startsWith(MOCK_BASE) ? momentOf(query.t) : null;
  useEffect(() => {
    if (t === null) return;
    let done = false;
    let video: HTMLVideoElement | null = null;
    const seek = () => {
      if (done || !video) return;
      done = true;
      video.currentTime = Math.min(t, Number.isFinite(video.duration) ? video.duration : t);
      video.scrollIntoView({ block: 'nearest' });
    };
    const started = Date.now();
    const timer = window.setInterval(() => {
      const v = document.getElementById('report-video');
      if (v instanceof HTMLVideoElement) {
        window.clearInterval(timer);
        video = v;
        if (v.readyState >= 1) seek();
        else v.addEventListener('loadedmetadata', seek, { once: true });
      } else if (Date.now() - started > WAIT_MS) {
        window.clearInterval(timer);
      }
    }, 100);
    return () => {
      done = true;
      window.clearInterval(timer);
      video?.removeEventListener('loadedmetadata', seek);
    };
  }, [path, t]);
  return null;
}
