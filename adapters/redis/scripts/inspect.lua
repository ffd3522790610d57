-- The state of one message in one subscription.
-- @include lib/subscription.lua
-- ARGV[5] message id
-- Returns {0, state, attempts, consumer, last error}.
local id = ARGV[5]
local deadRecord = redis.call('HGET', dead, id)
if deadRecord then
  local attempts, reason = string.match(deadRecord, '^(%d+) (.*)$')
  return {0, 'dead-lettered', tonumber(attempts), '', reason}
end
local pending = redis.call('XPENDING', stream, group, id, id, 1)[1]
if pending and pending[4] > 0 then
  return {0, 'in-flight', pending[4], pending[2], redis.call('HGET', notes, id) or ''}
end
if pending or idLess(lastDelivered(), id) then return {0, 'pending', 0, '', ''} end
return {0, 'acked', 0, '', ''}
