-- Aborts a prepared transaction (see lib/transaction.lua's abortTransaction).
-- @include lib/transaction.lua
-- ARGV[ownArgs] reason, ARGV[ownArgs + 1] '1' to abort only when it has expired (the sweep)
-- Returns {0} aborted (or already aborted, or not yet expired for the sweep), {1} unknown transaction,
-- {2} already committed.
local state = redis.call('HGET', record, 'state')
if not state then return {1} end
if state == 'committed' then return {2} end
if state == 'aborted' then return {0} end
if ARGV[ownArgs + 1] == '1' and nowMs() <= tonumber(redis.call('HGET', record, 'expiresMs')) then return {0} end
abortTransaction(ARGV[ownArgs])
return {0}
