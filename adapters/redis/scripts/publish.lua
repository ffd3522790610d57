-- Stores a batch of messages to one topic atomically, with idempotency keys, within the topic's max backlog.
-- KEYS[1] topic meta hash, KEYS[2] stream
-- ARGV[1] idempotency key prefix, ARGV[2] ready channel, ARGV[3] the notice published on it,
--   ARGV[4] message count n, then the messages as lib/messages.lua lays them out (topic index always 1)
-- Returns {0, id1, dup1, id2, dup2, ...} (dup 1 = duplicate), {1} unknown topic,
--   {2, index} (1-based) idempotency key reused with other content: nothing stored,
--   {3, subscription, 'messages', unsettled count} or {3, subscription, 'age', oldest unsettled id}:
--   the max backlog is reached, nothing stored.
-- @include lib/messages.lua
if redis.call('EXISTS', KEYS[1]) == 0 then return {1} end
local topics = { { meta = KEYS[1], stream = KEYS[2], prefix = ARGV[1], channel = ARGV[2], notice = ARGV[3] } }
local messages = parseMessages(ARGV, 5, tonumber(ARGV[4]))
local conflict = resolveKeys(messages, topics)
if conflict then return {2, conflict} end

-- Max backlog, checked per subscription (consumer group) when the batch stores anything new.
-- Unsettled = pending entries (in flight, parked) + entries not yet read (lag).
local fresh = 0
for _, m in ipairs(messages) do
  if not m.duplicateOf then fresh = fresh + 1 end
end
local limits = redis.call('HMGET', KEYS[1], 'maxBacklogMessages', 'maxBacklogAgeMs')
local maxMessages, maxAgeMs = tonumber(limits[1] or '0'), tonumber(limits[2] or '0')
-- No stream yet: no subscription either (a subscription's group creates the stream).
if fresh > 0 and (maxMessages > 0 or maxAgeMs > 0) and redis.call('EXISTS', KEYS[2]) == 1 then
  local now = nowMs()
  for _, info in ipairs(redis.call('XINFO', 'GROUPS', KEYS[2])) do
    local group = {}
    for i = 1, #info, 2 do group[info[i]] = info[i + 1] end
    local after = '(' .. group['last-delivered-id']
    local lag = group['lag']
    if maxMessages > 0 then
      local room = maxMessages - group['pending'] - fresh
      if not lag then
        -- Redis cannot tell after deletions or a seek inside the range: count, but no further than needed.
        lag = room < 0 and 0 or #redis.call('XRANGE', KEYS[2], after, '+', 'COUNT', room + 1)
      end
      if lag > room then return {3, group['name'], 'messages', group['pending'] + lag} end
    end
    if maxAgeMs > 0 then
      local oldest = redis.call('XPENDING', KEYS[2], group['name'])[2]
      if lag ~= 0 then
        local undelivered = redis.call('XRANGE', KEYS[2], after, '+', 'COUNT', 1)[1]
        if undelivered and (not oldest or idLess(undelivered[1], oldest)) then oldest = undelivered[1] end
      end
      if oldest and now - tonumber(string.match(oldest, '^%d+')) > maxAgeMs then return {3, group['name'], 'age', oldest} end
    end
  end
end

local result = {0}
for i, id in ipairs(appendMessages(messages, ARGV, topics)) do
  result[#result + 1] = id
  result[#result + 1] = messages[i].duplicateOf and 1 or 0
end
return result
