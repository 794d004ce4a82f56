/** Stable error codes: logs, metrics and tests match on these, never on message text. */
export type IrisErrorCode =
  // Image intake
  | 'IMAGE_EMPTY'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_TOO_MANY_PIXELS'
  | 'IMAGE_UNSUPPORTED_FORMAT'
  | 'IMAGE_UNREADABLE'
  | 'DOWNLOAD_HOST_NOT_ALLOWED'
  | 'DOWNLOAD_FAILED'
  | 'DOWNLOAD_TIMEOUT'
  | 'DOWNLOAD_NOT_AN_IMAGE'
  // Vision model (Ollama)
  | 'VISION_UNREACHABLE'
  | 'VISION_MODEL_NOT_PULLED'
  | 'VISION_MODEL_NO_VISION'
  | 'VISION_STREAM_INCOMPLETE'
  | 'VISION_STALLED'
  | 'VISION_TIMEOUT'
  | 'VISION_FAILED'
  // Text-to-image (Hugging Face)
  | 'IMAGINE_NOT_CONFIGURED'
  | 'IMAGINE_UNAUTHORIZED'
  | 'IMAGINE_MODEL_NOT_SERVED'
  | 'IMAGINE_MODEL_LOADING'
  | 'IMAGINE_RATE_LIMITED'
  | 'IMAGINE_TIMEOUT'
  | 'IMAGINE_FILTERED'
  | 'IMAGINE_UNREACHABLE'
  | 'IMAGINE_FAILED'
  // Storage, limits, queue and settings
  | 'STORE_UNAVAILABLE'
  | 'SETTINGS_INVALID'
  | 'SETTINGS_FORBIDDEN'
  | 'PROMPT_BLOCKED'
  // Chat platforms
  | 'PLATFORM_API_FAILED'
  // Requests
  | 'INVALID_OPTION'
  | 'CANCELLED'
  | 'INTERNAL';
