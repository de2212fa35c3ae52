import { IrStreamEvent } from './ir-stream';

interface QueuedBlock {
  index: number;
  events: IrStreamEvent[];
  ended: boolean;
}

/**
 * Re-orders IR block events so that exactly one block is open at a time, for wires whose
 * clients require it (Anthropic: a closed content block cannot be reopened; Responses: one item
 * at a time keeps every accumulator happy). A block that starts while another is still open is
 * held back with its deltas and released, in order, when the open one ends. The common case (no
 * interleaving) passes events straight through without buffering.
 */
export class SequentialBlocks {
  private live: number | null = null;
  private readonly queue: QueuedBlock[] = [];

  push(event: IrStreamEvent): IrStreamEvent[] {
    switch (event.type) {
      case 'text_start':
      case 'reasoning_start':
      case 'tool_start':
        if (this.live === null) {
          this.live = event.index;
          return [event];
        }
        this.queue.push({ index: event.index, events: [event], ended: false });
        return [];
      case 'text_delta':
      case 'reasoning_delta':
      case 'reasoning_signature':
      case 'tool_args_delta':
      case 'block_end': {
        if (event.index === this.live) {
          if (event.type !== 'block_end') return [event];
          this.live = null;
          return [event, ...this.drain()];
        }
        const queued = this.queue.find((block) => block.index === event.index);
        if (queued) {
          queued.events.push(event);
          if (event.type === 'block_end') queued.ended = true;
        }
        return []; // a delta for a block never started is dropped: there is nothing to attach it to
      }
      case 'finish':
        return [...this.closeAll(), event];
      case 'start':
      case 'usage':
      case 'error':
        return [event];
    }
  }

  /** Ends every open and held block (for a finish that arrives with blocks still open). */
  closeAll(): IrStreamEvent[] {
    const out: IrStreamEvent[] = [];
    while (this.live !== null || this.queue.length > 0) {
      if (this.live !== null) {
        out.push({ type: 'block_end', index: this.live });
        this.live = null;
      }
      out.push(...this.drain());
    }
    return out;
  }

  private drain(): IrStreamEvent[] {
    const out: IrStreamEvent[] = [];
    while (this.live === null) {
      const next = this.queue.shift();
      if (!next) break;
      out.push(...next.events);
      if (!next.ended) this.live = next.index;
    }
    return out;
  }
}
