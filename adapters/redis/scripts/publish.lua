-- Stores a batch of messages to one topic atomically, with idempotency keys.
-- KEYS[1] topic meta hash, KEYS[2] stream
-- ARGV[1] idempotency key prefix, ARGV[2] ready channel, ARGV[3] message count n, then the messages
--   as lib/messages.lua lays them out (topic index always 1)
-- Returns {0, id1, dup1, id2, dup2, ...} (dup 1 = duplicate), {1} unknown topic,
--   {2, index} (1-based) idempotency key reused with other content: nothing stored.
-- @include lib/messages.lua
if redis.call('EXISTS', KEYS[1]) == 0 then return {1} end
local topics = { { meta = KEYS[1], stream = KEYS[2], prefix = ARGV[1], channel = ARGV[2] } }
local messages = parseMessages(ARGV, 4, tonumber(ARGV[3]))
local conflict = resolveKeys(messages, topics)
if conflict then return {2, conflict} end
local result = {0}
for i, id in ipairs(appendMessages(messages, ARGV, topics)) do
  result[#result + 1] = id
  result[#result + 1] = messages[i].duplicateOf and 1 or 0
end
return result
