import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretValues } from '../../src/config/load.js';
import { normalizeOllamaHost } from '../../src/config/ollamaHost.js';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig({ env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ env: {} });
    expect(config).toMatchObject({
      OLLAMA_HOST: 'http://127.0.0.1:11434',
      VISION_MODEL: 'llava',
      IMAGE_MODEL: 'prompthero/openjourney',
      HF_PROVIDER: 'hf-inference',
      LOG_LEVEL: 'info',
      MAX_IMAGE_BYTES: 25 * 1024 * 1024,
      MAX_IMAGE_PIXELS: 40_000_000,
      MAX_IMAGE_SIDE: 1344,
      IMAGINE_TRIGGER: 'mdjrny-v4 style',
    });
    expect(config.HF_TOKEN).toBeUndefined();
    expect(config.HF_ENDPOINT_URL).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    const config = loadConfig({ env: { HF_TOKEN: '', HF_ENDPOINT_URL: '  ', DISCORD_TOKEN: '' } });
    expect(config.HF_TOKEN).toBeUndefined();
    expect(config.HF_ENDPOINT_URL).toBeUndefined();
    expect(config.DISCORD_TOKEN).toBeUndefined();
  });

  it('names the variable and a valid example', () => {
    const error = configError({ MAX_IMAGE_SIDE: 'big', LOG_LEVEL: 'loud' });
    expect(error.problems).toHaveLength(2);
    expect(error.message).toMatch(/MAX_IMAGE_SIDE .*\(example: MAX_IMAGE_SIDE=1344\)/);
    expect(error.message).toMatch(/LOG_LEVEL .*\(example: LOG_LEVEL=info\)/);
    expect(error.message).toContain('.env.example');
  });

  it('never echoes a rejected value', () => {
    const leaked = 'xoxp-1234-secret-user-token';
    const error = configError({ SLACK_BOT_TOKEN: leaked, HF_ENDPOINT_URL: 'not a url hf_secret' });
    expect(error.message).toContain('SLACK_BOT_TOKEN must start with xoxb-');
    expect(error.message).not.toContain(leaked);
    expect(error.message).not.toContain('hf_secret');
  });

  it('lists the secrets in force for redaction', () => {
    const config = loadConfig({ env: { HF_TOKEN: 'hf_abcdefghijkl', DISCORD_TOKEN: 'MTEx.discord.token' } });
    expect(secretValues(config).sort()).toEqual(['MTEx.discord.token', 'hf_abcdefghijkl']);
  });
});

describe('normalizeOllamaHost', () => {
  it.each([
    ['localhost', 'http://localhost:11434'],
    ['127.0.0.1', 'http://127.0.0.1:11434'],
    ['0.0.0.0:8080', 'http://0.0.0.0:8080'],
    ['ollama.internal:11434', 'http://ollama.internal:11434'],
    ['http://127.0.0.1:11434/', 'http://127.0.0.1:11434'],
    ['https://ollama.example.com', 'https://ollama.example.com'],
    ['https://example.com:8443/ollama/', 'https://example.com:8443/ollama'],
    ['[::1]:11434', 'http://[::1]:11434'],
  ])('normalises %s', (input, expected) => {
    expect(normalizeOllamaHost(input)).toBe(expected);
  });

  it.each(['', 'ftp://host', 'http://', ':::'])('rejects "%s"', (input) => {
    expect(normalizeOllamaHost(input)).toBeUndefined();
  });
});
