-- Stores a batch of messages atomically, with idempotency keys.
-- KEYS[1] topic meta hash, KEYS[2] stream
-- ARGV[1] idempotency key prefix, ARGV[2] ready channel, ARGV[3] message count n, then per message
--   7 + 2a values: idempotency key ('' none), content hash, data, ordering key, traceparent,
--   tracestate, attribute count a, then a pairs of attribute key and value.
-- Returns {0, id1, dup1, id2, dup2, ...} (dup 1 = duplicate), {1} unknown topic,
--   {2, index} (1-based) idempotency key reused with other content: nothing stored.
if redis.call('EXISTS', KEYS[1]) == 0 then return {1} end
local window = redis.call('HGET', KEYS[1], 'dedupWindowMs')
local prefix, n = ARGV[1], tonumber(ARGV[3])

-- Pass 1: resolve every idempotency key before writing anything, so a conflict stores nothing.
local messages, seen, pos = {}, {}, 4
for i = 1, n do
  local m = { key = ARGV[pos], hash = ARGV[pos + 1], first = pos + 2, attrs = tonumber(ARGV[pos + 6]) }
  pos = pos + 7 + 2 * m.attrs
  if m.key ~= '' then
    local known = seen[m.key]
    if not known then
      local stored = redis.call('GET', prefix .. m.key)
      if stored then
        local space = string.find(stored, ' ', 1, true)
        known = { id = string.sub(stored, 1, space - 1), hash = string.sub(stored, space + 1) }
        seen[m.key] = known
      end
    end
    if known then
      if known.hash ~= m.hash then return {2, i} end
      m.duplicateOf = known
    else
      seen[m.key] = m -- a repeat later in this batch refers to this message
    end
  end
  messages[i] = m
end

-- Pass 2: append.
local result, largest, stored = {0}, 0, false
for i = 1, n do
  local m = messages[i]
  if m.duplicateOf then
    -- m.duplicateOf.id is set by now: stored entries have it, batch entries got it in order.
    result[#result + 1] = m.duplicateOf.id
    result[#result + 1] = 1
  else
    local p = m.first
    local fields = { 'd', ARGV[p] }
    if ARGV[p + 1] ~= '' then fields[#fields + 1] = 'k'; fields[#fields + 1] = ARGV[p + 1] end
    if ARGV[p + 2] ~= '' then fields[#fields + 1] = 'tp'; fields[#fields + 1] = ARGV[p + 2] end
    if ARGV[p + 3] ~= '' then fields[#fields + 1] = 'ts'; fields[#fields + 1] = ARGV[p + 3] end
    for a = 0, m.attrs - 1 do
      fields[#fields + 1] = 'a:' .. ARGV[p + 5 + 2 * a]
      fields[#fields + 1] = ARGV[p + 6 + 2 * a]
    end
    m.id = redis.call('XADD', KEYS[2], '*', unpack(fields))
    if m.key ~= '' then
      redis.call('SET', prefix .. m.key, m.id .. ' ' .. m.hash, 'PX', window)
    end
    if #ARGV[p] > largest then largest = #ARGV[p] end
    stored = true
    result[#result + 1] = m.id
    result[#result + 1] = 0
  end
end

-- Receive sizes its reads by the largest payload, so a byte budget is never exceeded.
if largest > tonumber(redis.call('HGET', KEYS[1], 'maxPayload') or '0') then
  redis.call('HSET', KEYS[1], 'maxPayload', largest)
end
if stored then redis.call('PUBLISH', ARGV[2], '') end
return result
