/** The parts of the Shape Detection API used here (not in TypeScript's DOM types yet). */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

const FRAME_INTERVAL_MS = 150;

/** The back camera where there is one; the fake device in tests. */
export function openCamera(): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
}

/**
 * Reads QR codes from `video` until `accept` takes one (returns true) or `signal` aborts.
 * `BarcodeDetector` where the browser has one for QR codes (Android Chrome, Safari), otherwise
 * jsQR over canvas frames (desktop Chromium on Linux, Firefox). Nothing leaves the device.
 */
export async function scanQrCodes(video: HTMLVideoElement, accept: (text: string) => boolean, signal: AbortSignal): Promise<void> {
  const detect = await detector();
  // Loaded only when needed: most phones have BarcodeDetector, and jsQR is the larger part.
  const jsQR = detect ? undefined : (await import('jsqr')).default;
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  while (!signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, FRAME_INTERVAL_MS));
    if (signal.aborted || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) continue;
    let found: string | undefined;
    if (detect) {
      found = (await detect.detect(video).catch(() => []))[0]?.rawValue;
    } else if (context && jsQR) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      found = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data;
    }
    if (found && accept(found)) return;
  }
}

async function detector(): Promise<BarcodeDetectorLike | undefined> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!Detector) return undefined;
  try {
    return (await Detector.getSupportedFormats()).includes('qr_code') ? new Detector({ formats: ['qr_code'] }) : undefined;
  } catch {
    return undefined;
  }
}
