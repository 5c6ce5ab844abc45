import { writeFileSync } from 'node:fs';

/**
 * A fake camera for Chromium: `--use-file-for-fake-video-capture=<path>.y4m` plays this file,
 * read afresh each time a page opens the camera, so a test rewrites it before each scan.
 */
export const FRAME_SIZE = 640;

/** Chromium's flags for a camera fed from `path`, with the permission prompt answered yes. */
export function fakeCameraArgs(path: string): string[] {
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${path}`];
}

/** Writes `image` (RGBA, as a page's canvas gives it), centred on white, as a two-frame I420 y4m. */
export function showToCamera(path: string, image: { width: number; height: number; rgba: Uint8Array }): void {
  if (image.width > FRAME_SIZE || image.height > FRAME_SIZE) throw new Error(`image ${image.width}×${image.height} is larger than the camera frame`);
  const luma = new Uint8Array(FRAME_SIZE * FRAME_SIZE).fill(255);
  const left = Math.floor((FRAME_SIZE - image.width) / 2);
  const top = Math.floor((FRAME_SIZE - image.height) / 2);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4;
      const [r, g, b] = [image.rgba[i]!, image.rgba[i + 1]!, image.rgba[i + 2]!];
      luma[(top + y) * FRAME_SIZE + left + x] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
  }
  const chroma = new Uint8Array(FRAME_SIZE * FRAME_SIZE / 2).fill(128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${FRAME_SIZE} H${FRAME_SIZE} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

/** A blank white frame, until there is something to show. */
export function blankCamera(path: string): void {
  showToCamera(path, { width: 0, height: 0, rgba: new Uint8Array() });
}
