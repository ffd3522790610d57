-- Leases messages of one subscription to one consumer: due redeliveries first, then new messages.
-- @include lib/subscription.lua
-- ARGV[5] consumer, ARGV[6] max messages, ARGV[7] max payload bytes,
-- ARGV[8] '1' when the first delivery may exceed the bytes alone
-- Returns {0, lease deadline ms, next due ms or -1, dead letters put in the outbox, then per delivery:
--   id, attempt, reason, fields}.
local consumer = ARGV[5]
local wanted, budget = tonumber(ARGV[6]), tonumber(ARGV[7])
local oversizedAllowed = ARGV[8] == '1'
local now = nowMs()
local deadline = now + tonumber(setting('ackDeadlineMs'))
local maxAttempts = tonumber(setting('maxDeliveryAttempts'))
-- No stored payload is larger than this, so reading floor(budget / largest) entries cannot overshoot.
local largest = tonumber(redis.call('HGET', topicMeta, 'maxPayload') or '0')
-- Messages after startedAfter and up to seekUntil had been delivered before the last seek.
local seekUntil, startedAfter = setting('seekUntil'), setting('startedAfter')

local result, count, leased, full = {0, deadline, -1, 0}, 0, {}, false
local function take(id, attempt, reason, fields, size)
  result[#result + 1] = id
  result[#result + 1] = attempt
  result[#result + 1] = reason
  result[#result + 1] = fields
  count = count + 1
  budget = budget - size
  -- Unsettled by the lease end, it falls due after the backoff of this attempt.
  leased[#leased + 1] = deadline + backoff(attempt)
  leased[#leased + 1] = id
end
local function fits(size)
  return size <= budget or (oversizedAllowed and count == 0)
end
local function payloadSize(fields)
  -- Publish writes the payload first; dead letters and redriven messages have it later.
  if fields[1] == 'd' then return #fields[2] end
  return #(field(fields, 'd') or '')
end
local function firstReason(id, fields)
  if seekUntil and not idLess(seekUntil, id) and idLess(startedAfter, id) and redis.call('SREM', unseen, id) == 0 then
    return 'seek'
  end
  if field(fields, 'rd') then return 'redrive' end
  return 'first'
end

-- Due redeliveries (and parked messages whose key was freed), earliest due first.
for _, id in ipairs(redis.call('ZRANGEBYSCORE', dueSet, '-inf', now, 'LIMIT', 0, wanted)) do
  local fields = entryFields(id)
  local attempts = currentAttempt(id)
  if not fields or not attempts then
    -- Deleted or settled meanwhile: nothing left to deliver.
    settle(id, nil)
  elseif maxAttempts > 0 and attempts >= maxAttempts then
    -- The delivery after the last allowed attempt does not happen.
    if deadLetter(id, fields, attempts, 'max-delivery-attempts') then result[4] = result[4] + 1 end
  else
    local size = payloadSize(fields)
    if not fits(size) then
      -- Order is kept: nothing behind a redelivery that does not fit is delivered either.
      full = true
      break
    end
    local reason = redis.call('HGET', whySet, id) or 'lease-expired'
    if attempts == 0 then
      -- A parked message whose key was freed: its first delivery.
      reason = firstReason(id, fields)
      redis.call('HINCRBY', subMeta, 'parked', -1)
    end
    redis.call('HDEL', whySet, id)
    redis.call('XCLAIM', stream, group, consumer, 0, id, 'RETRYCOUNT', attempts + 1, 'JUSTID')
    take(id, attempts + 1, reason, fields, size)
  end
end

-- With ordering on, a message whose key is held by another waits, in order, behind it.
local function parkedBehindKey(id, fields)
  if not ordered then return false end
  local key = field(fields, 'k')
  if not key then return false end
  local sha = redis.sha1hex(key)
  if not redis.call('HGET', holders, sha) then
    redis.call('HSET', holders, sha, id)
    return false
  end
  redis.call('RPUSH', parkedPrefix .. sha, id)
  redis.call('HINCRBY', subMeta, 'parked', 1)
  -- Not delivered: its delivery count starts from zero when the key frees it.
  redis.call('XCLAIM', stream, group, consumer, 0, id, 'RETRYCOUNT', 0, 'JUSTID')
  return true
end

-- New messages, in publish order.
while count < wanted and not full do
  local n = wanted - count
  if largest > 0 and math.floor(budget / largest) < n then
    n = math.floor(budget / largest)
    if n < 1 then
      -- The budget is below the largest payload: count what fits before reading anything.
      local ahead, room, first = redis.call('XRANGE', stream, '(' .. lastDelivered(), '+', 'COUNT', wanted - count), budget, count == 0
      for _, entry in ipairs(ahead) do
        local size = payloadSize(entry[2])
        if not (size <= room or (oversizedAllowed and first)) then break end
        room, first, n = room - size, false, n + 1
      end
    end
  end
  if n < 1 then break end
  local read = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', n, 'STREAMS', stream, '>')
  if not read then break end
  local entries = read[1][2]
  for _, entry in ipairs(entries) do
    local id, fields = entry[1], entry[2]
    if not parkedBehindKey(id, fields) then take(id, 1, firstReason(id, fields), fields, payloadSize(fields)) end
  end
  if #entries < n then break end
end

if #leased > 0 then redis.call('ZADD', dueSet, unpack(leased)) end
local first = redis.call('ZRANGE', dueSet, 0, 0, 'WITHSCORES')
if first[2] then result[3] = tonumber(first[2]) end
return result
