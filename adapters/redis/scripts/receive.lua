-- Leases due redeliveries of one subscription to one consumer, and says how many new messages the
-- store may read for it next (see lease.lua).
-- @include lib/leasing.lua
-- ARGV[5] consumer, ARGV[6] max messages, ARGV[7] max payload bytes,
-- ARGV[8] '1' when the first delivery may exceed the bytes alone
-- Returns {0, lease deadline ms, next due ms or -1, dead letters put in the outbox, new messages to
--   read, the largest payload of the topic, then per delivery: id, attempt, reason, fields}.
local consumer = ARGV[5]
local wanted, budget = tonumber(ARGV[6]), tonumber(ARGV[7])
local oversizedAllowed = ARGV[8] == '1'
local maxAttempts = tonumber(setting('maxDeliveryAttempts'))
-- No stored payload is larger than this, so reading floor(budget / largest) entries cannot overshoot.
local largest = tonumber(redis.call('HGET', topicMeta, 'maxPayload') or '0')
local result, count, leased, full = {0, deadline, -1, 0, 0, largest}, 0, {}, false
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
      reason = firstReason(id, field(fields, 'rd') ~= nil)
      redis.call('HINCRBY', subMeta, 'parked', -1)
    end
    redis.call('HDEL', whySet, id)
    redis.call('XCLAIM', stream, group, consumer, 0, id, 'RETRYCOUNT', attempts + 1, 'JUSTID')
    take(id, attempts + 1, reason, fields, size)
  end
end

-- New messages, in publish order, are read by the store itself (XREADGROUP) and leased by
-- lease.lua: passed through Lua, their payloads cost Redis more than the read did. Here: how many it
-- reads first (0 when a redelivery did not fit).
local toRead = full and 0 or wanted - count
if toRead > 0 and largest > 0 and math.floor(budget / largest) < toRead then
  toRead = math.floor(budget / largest)
  if toRead < 1 then
    -- The budget is below the largest payload: count what fits before reading anything.
    local ahead, room, first = redis.call('XRANGE', stream, '(' .. lastDelivered(), '+', 'COUNT', wanted - count), budget, count == 0
    for _, entry in ipairs(ahead) do
      local size = payloadSize(entry[2])
      if not (size <= room or (oversizedAllowed and first)) then break end
      room, first, toRead = room - size, false, toRead + 1
    end
  end
end
result[3] = recordLeases(leased)
result[5] = toRead
return result
