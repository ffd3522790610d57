-- Appending messages with idempotency keys, shared by publish and transaction commit.
-- Messages come as flat values (publish's ARGV, or a transaction's staged list), per message
-- 8 + 2a values: topic index, idempotency key digest ('' none; 16 bytes), content hash (8 bytes),
-- data, ordering key, traceparent, tracestate, attribute count a, then a pairs of attribute key and
-- value. A topic is a table { meta = key, stream = key, prefix = idempotency bucket prefix, channel = name,
-- notice = what to publish on it when something was appended (nil: '') }.
--
-- Idempotency keys live in one hash per topic and dedup window: `<prefix><floor(now / window)>`,
-- field = key digest, value = content hash .. message id, expiring two windows after its start. A
-- key is known while its message is younger than the window, so the current and the previous
-- bucket are all that can hold it. (A hash entry costs about half a key of its own with a TTL.)
-- @include lib/common.lua

local function idempotencyBuckets(t, now)
  if not t.current then
    t.window = tonumber(redis.call('HGET', t.meta, 'dedupWindowMs'))
    local bucket = math.floor(now / t.window)
    t.current, t.previous, t.expiresAt = t.prefix .. bucket, t.prefix .. (bucket - 1), (bucket + 2) * t.window
  end
  return t
end

local function parseMessages(values, pos, n)
  local messages = {}
  for i = 1, n do
    local m = { topic = tonumber(values[pos]), key = values[pos + 1], hash = values[pos + 2], first = pos + 3,
                attrs = tonumber(values[pos + 7]) }
    pos = pos + 8 + 2 * m.attrs
    messages[i] = m
  end
  return messages
end

-- Every keyed message's stored idempotency entry (content hash .. message id), or nil: one HMGET per
-- topic of the current bucket, and one of the previous bucket for the keys the current lacks.
local function storedEntries(messages, topics, now)
  local byTopic, entries = {}, {}
  for i, m in ipairs(messages) do
    if m.key ~= '' then
      byTopic[m.topic] = byTopic[m.topic] or {}
      table.insert(byTopic[m.topic], i)
    end
  end
  for index, indexes in pairs(byTopic) do
    local t = idempotencyBuckets(topics[index], now)
    for _, bucket in ipairs({ t.current, t.previous }) do
      local keys = {}
      for j, i in ipairs(indexes) do keys[j] = messages[i].key end
      local found, rest = redis.call('HMGET', bucket, unpack(keys)), {}
      for j, i in ipairs(indexes) do
        if found[j] then entries[i] = found[j] else rest[#rest + 1] = i end
      end
      indexes = rest
      if #indexes == 0 then break end
    end
  end
  return entries
end

-- Resolves every idempotency key before anything is written, so a conflict stores nothing. A repeat
-- (stored, or earlier in the same batch) becomes a duplicate of the first. Returns the 1-based index
-- of a message whose key names other content, or nil.
local function resolveKeys(messages, topics)
  local seen, now = {}, nowMs()
  local entries = storedEntries(messages, topics, now)
  for i, m in ipairs(messages) do
    if m.key ~= '' then
      local scope = m.topic .. ' ' .. m.key
      local known = seen[scope]
      if not known then
        local stored = entries[i]
        local id = stored and string.sub(stored, 9)
        if id and tonumber(string.match(id, '^%d+')) + topics[m.topic].window > now then
          known = { id = id, hash = string.sub(stored, 1, 8) }
          seen[scope] = known
        end
      end
      if known then
        if known.hash ~= m.hash then return i end
        m.duplicateOf = known
      else
        seen[scope] = m -- a repeat later in the batch refers to this message
      end
    end
  end
end

-- Appends every message that is not a duplicate, in order; answers the ids (a duplicate's is the
-- original's; m.duplicateOf.id of a batch repeat is set by the time it is reached).
local function appendMessages(messages, values, topics)
  local ids, largest = {}, {}
  for i, m in ipairs(messages) do
    if m.duplicateOf then
      ids[i] = m.duplicateOf.id
    else
      local t, p = topics[m.topic], m.first
      local fields = { 'd', values[p] }
      if values[p + 1] ~= '' then fields[#fields + 1] = 'k'; fields[#fields + 1] = values[p + 1] end
      if values[p + 2] ~= '' then fields[#fields + 1] = 'tp'; fields[#fields + 1] = values[p + 2] end
      if values[p + 3] ~= '' then fields[#fields + 1] = 'ts'; fields[#fields + 1] = values[p + 3] end
      for a = 0, m.attrs - 1 do
        fields[#fields + 1] = 'a:' .. values[p + 5 + 2 * a]
        fields[#fields + 1] = values[p + 6 + 2 * a]
      end
      m.id = redis.call('XADD', t.stream, '*', unpack(fields))
      if m.key ~= '' then
        -- Remembered with one HSET per topic, below.
        t.remembered = t.remembered or {}
        table.insert(t.remembered, m.key)
        table.insert(t.remembered, m.hash .. m.id)
      end
      largest[m.topic] = math.max(largest[m.topic] or 0, #values[p])
      ids[i] = m.id
    end
  end
  for index, size in pairs(largest) do
    local t = topics[index]
    -- Receive sizes its reads by the largest payload, so a byte budget is never exceeded.
    if size > tonumber(redis.call('HGET', t.meta, 'maxPayload') or '0') then redis.call('HSET', t.meta, 'maxPayload', size) end
    redis.call('PUBLISH', t.channel, t.notice or '')
  end
  for _, t in pairs(topics) do
    if t.remembered then
      redis.call('HSET', t.current, unpack(t.remembered))
      redis.call('PEXPIREAT', t.current, t.expiresAt)
    end
  end
  return ids
end
