import { AnthropicStreamTap, anthropicUsageFromBody } from './anthropic-messages/stream-tap';
import { GeminiStreamTap, geminiUsageFromBody } from './gemini/stream-tap';
import { IrError } from './ir/ir-error';
import { WireProtocol } from './ir/ir-request';
import { OpenAiChatStreamTap, TapVerdict } from './openai-chat/stream-tap';
import { openAiChatUsageFromBody } from './openai-chat/usage';
import { COMPAT_PROFILES, CompatProfile } from './openai-compatible/compat-profiles';
import { ResponsesStreamTap, responsesUsageFromBody } from './openai-responses/stream-tap';
import { NormalizedUsage } from './shared/usage';

/** What the gateway reads from any pass-through stream tap. */
export interface StreamTap {
  /** Called with each raw upstream event (SseSplitter slice); Drop means "do not forward". */
  inspect(event: Buffer): TapVerdict;
  readonly usage: NormalizedUsage | null;
  /** The upstream signalled the end ([DONE], message_stop, response.completed, finishReason). */
  readonly done: boolean;
  /** An in-band error event went by. */
  readonly errored: boolean;
  /** That error, decoded (null when its body was unreadable): lets a gateway fail over or report it. */
  readonly error: IrError | null;
  /** Bytes forwarded, for estimating output when the upstream reports no usage. */
  readonly forwardedBytes: number;
}

export interface StreamTapOptions {
  /** Chat only: the client set stream_options.include_usage itself (else the usage chunk is hidden). */
  clientWantsUsage?: boolean;
  profile?: CompatProfile;
}

/** The pass-through tap for a wire protocol. */
export function createStreamTap(wire: WireProtocol, options: StreamTapOptions = {}): StreamTap {
  switch (wire) {
    case 'openai-chat':
      return new OpenAiChatStreamTap(
        options.clientWantsUsage ?? false,
        (options.profile ?? COMPAT_PROFILES.openai).usage,
      );
    case 'openai-responses':
      return new ResponsesStreamTap();
    case 'anthropic-messages':
      return new AnthropicStreamTap();
    case 'gemini':
      return new GeminiStreamTap();
  }
}

/** Usage of a pass-through non-streaming body, reading only its usage field. */
export function usageFromBody(
  wire: WireProtocol,
  bodyText: string,
  profile?: CompatProfile,
): NormalizedUsage | null {
  switch (wire) {
    case 'openai-chat':
      return openAiChatUsageFromBody(bodyText, (profile ?? COMPAT_PROFILES.openai).usage);
    case 'openai-responses':
      return responsesUsageFromBody(bodyText);
    case 'anthropic-messages':
      return anthropicUsageFromBody(bodyText);
    case 'gemini':
      return geminiUsageFromBody(bodyText);
  }
}
