export const usage = `Usage:
  iris describe <image-file> [--mode MODE] [--question TEXT]
      Streams a description of the image to stdout.
      MODE: caption, detailed (default), objects, text, code, diagram.
      --question asks a free-form question instead of using a mode.
  iris imagine "<prompt>" --out FILE.png [--negative TEXT] [--size WxH] [--steps N]
               [--guidance G] [--seed N] [--count N]
      Generates images with the text-to-image model and writes them as PNG.
      --size: 512x512 (default), 512x768 or 768x512. --steps: 10-50 (default 30).
      --guidance: 1-15 (default 7.5). --seed: 0-4294967295 (random when absent).
      --count: 1-4; for more than one image, FILE-1.png, FILE-2.png, ... are written.
  iris doctor
      Checks the configuration and both model backends, and says what to fix.

Settings come from the environment or a .env file; see .env.example.`;
