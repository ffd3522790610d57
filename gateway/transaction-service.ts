import type { TransactionServiceHandlers } from '../generated/ts/relay/v1/TransactionService.ts';
import { unimplemented } from './context.ts';

/** Prepare/Commit/Abort arrive with transactions; until then each says so. */
export function transactionService(): TransactionServiceHandlers {
  return {
    Prepare: unimplemented('Prepare (transactions)'),
    Commit: unimplemented('Commit (transactions)'),
    Abort: unimplemented('Abort (transactions)'),
  };
}
