-- What receive.lua and lease.lua share: the lease they give, and why a first delivery happens.
-- @include lib/subscription.lua
local now = nowMs()
local deadline = now + tonumber(setting('ackDeadlineMs'))
-- Messages after startedAfter and up to seekUntil had been delivered before the last seek.
local seekUntil, startedAfter = setting('seekUntil'), setting('startedAfter')

-- The reason of a message's first delivery: it comes again after a seek, it was redriven, or it is new.
local function firstReason(id, redriven)
  if seekUntil and not idLess(seekUntil, id) and idLess(startedAfter, id) and redis.call('SREM', unseen, id) == 0 then
    return 'seek'
  end
  return redriven and 'redrive' or 'first'
end

-- Records leases ({due ms, id, ...}: unsettled by the lease end, a delivery falls due after the
-- backoff of its attempt) and answers when the earliest delivery falls due, or -1.
local function recordLeases(leased)
  if #leased > 0 then redis.call('ZADD', dueSet, unpack(leased)) end
  local first = redis.call('ZRANGE', dueSet, 0, 0, 'WITHSCORES')
  return first[2] and tonumber(first[2]) or -1
end

-- With ordering on, a message whose key another message holds waits, in order, behind it (true);
-- otherwise it holds its key.
local function parkedBehindKey(id, key)
  if not ordered or key == '' then return false end
  local sha = redis.sha1hex(key)
  if not redis.call('HGET', holders, sha) then
    redis.call('HSET', holders, sha, id)
    return false
  end
  redis.call('RPUSH', parkedPrefix .. sha, id)
  return true
end

-- Keeps messages of a consumer's pending entries undelivered (parked, counted in the backlog): their
-- delivery count starts from zero when they are delivered.
local function keepUndelivered(consumer, ids)
  if #ids == 0 then return end
  local claim = { stream, group, consumer, 0, unpack(ids) }
  for _, option in ipairs({ 'RETRYCOUNT', 0, 'JUSTID' }) do claim[#claim + 1] = option end
  redis.call('XCLAIM', unpack(claim))
  redis.call('HINCRBY', subMeta, 'parked', #ids)
end
