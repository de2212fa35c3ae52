import { IrRequest } from './ir-request';

/** What a client-side encoder needs besides the IR it encodes. */
export interface ClientEncodeContext {
  /** The model name to echo: the public name the client asked for, not the upstream id. */
  model: string;
  /** Response id to use; by default the upstream id when it fits the protocol, else a minted one. */
  id?: string;
  /** Unix seconds for `created`; defaults to now. */
  created?: number;
  /**
   * The decoded client request: its tool list (names, namespaces, custom tools), whether it asked
   * for usage in the stream, whether it enabled thinking.
   */
  request?: IrRequest;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
