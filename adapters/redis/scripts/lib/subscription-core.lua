-- One subscription's state and the steps every settlement shares. bindSubscription(keys, names)
-- takes the subscription's 10 keys and 4 names in this order:
-- keys: stream, topic meta hash, subscription meta hash,
--   due sorted set (in-flight id -> when it falls due), why hash (id -> reason it is due),
--   notes hash (id -> last nack reason), dead hash (id -> "<attempts> <why>"),
--   holders hash (sha1 of ordering key -> the id holding it),
--   dead-letter outbox stream (dead letters on their way to the dead-letter topic),
--   unseen set (ids parked when a seek happened: never delivered, so not 'seek' later)
-- names: group (subscription name), topic name, ready channel, parked list prefix (+ sha1 of
--   ordering key)
-- Every key is in the topic's slot. The dead-letter topic is in a slot of its own on a Redis Cluster,
-- so a dead letter goes to the outbox in the same step as it is settled, and the store forwards the
-- outbox to the dead-letter topic afterwards (forward-dead-letters.lua, idempotent per outbox entry).
-- @include lib/common.lua

local function bindSubscription(keys, names)
  local stream, topicMeta, subMeta, dueSet, whySet, notes, dead, holders, outbox, unseen = unpack(keys, 1, 10)
  local group, topic, channel, parkedPrefix = unpack(names, 1, 4)
  if redis.call('EXISTS', subMeta) == 0 then return nil end

  local function setting(name)
    return redis.call('HGET', subMeta, name)
  end

  -- Read once per script: every delivery and settlement needs them.
  local fixed = redis.call('HMGET', subMeta, 'ordering', 'minBackoffMs', 'maxBackoffMs')
  local ordered = fixed[1] == 'true'
  local minBackoff, maxBackoff = tonumber(fixed[2]), tonumber(fixed[3])

  local function backoff(attempt)
    return math.min(maxBackoff, minBackoff * 2 ^ (attempt - 1))
  end

  local function entryFields(id)
    local entry = redis.call('XRANGE', stream, id, id)[1]
    return entry and entry[2]
  end

  -- The delivery count Redis keeps for an in-flight message (its current attempt), or nil.
  local function currentAttempt(id)
    local pending = redis.call('XPENDING', stream, group, id, id, 1)[1]
    return pending and pending[4]
  end

  -- The group's cursor: the last id read with '>'.
  local function lastDelivered()
    for _, info in ipairs(redis.call('XINFO', 'GROUPS', stream)) do
      local fields = {}
      for i = 1, #info, 2 do fields[info[i]] = info[i + 1] end
      if fields['name'] == group then return fields['last-delivered-id'], fields['lag'] end
    end
  end

  -- With ordering on, settling the message that holds its key hands the key to the next parked one.
  local function releaseKey(id, fields)
    if not ordered then return end
    local key = field(fields, 'k')
    if not key then return end
    local sha = redis.sha1hex(key)
    if redis.call('HGET', holders, sha) ~= id then return end
    local nextId = redis.call('LPOP', parkedPrefix .. sha)
    if nextId then
      redis.call('HSET', holders, sha, nextId)
      -- Still counted as parked (backlog) until it is delivered.
      redis.call('ZADD', dueSet, nowMs(), nextId)
      redis.call('PUBLISH', channel, '')
    else
      redis.call('HDEL', holders, sha)
    end
  end

  -- Forgets every trace of a settled message in the subscription.
  local function settle(id, fields)
    redis.call('XACK', stream, group, id)
    redis.call('ZREM', dueSet, id)
    redis.call('HDEL', whySet, id)
    redis.call('HDEL', notes, id)
    if fields then releaseKey(id, fields) end
  end

  -- Settles a message and puts it in the outbox for the dead-letter topic (or drops it without one),
  -- counted. Answers whether it went to the outbox.
  local function deadLetter(id, fields, attempts, reason)
    local toOutbox = (redis.call('HGET', subMeta, 'deadLetterTopic') or '') ~= ''
    if toOutbox then
      local copy = {}
      for i = 1, #fields, 2 do
        local name = fields[i]
        if name == 'd' or name == 'k' or name == 'tp' or name == 'ts' or string.sub(name, 1, 2) == 'a:' then
          copy[#copy + 1] = name
          copy[#copy + 1] = fields[i + 1]
        end
      end
      for _, pair in ipairs({ { 'o', field(fields, 'o') or id }, { 'xt', topic }, { 'xs', group }, { 'xr', reason }, { 'xa', attempts } }) do
        copy[#copy + 1] = pair[1]
        copy[#copy + 1] = pair[2]
      end
      redis.call('XADD', outbox, '*', unpack(copy))
    end
    settle(id, fields)
    redis.call('HSET', dead, id, attempts .. ' ' .. reason)
    redis.call('HINCRBY', subMeta, 'deadLettered', 1)
    return toOutbox
  end

  return {
    stream = stream, topicMeta = topicMeta, subMeta = subMeta, dueSet = dueSet, whySet = whySet, notes = notes,
    dead = dead, holders = holders, outbox = outbox, unseen = unseen, group = group, channel = channel, parkedPrefix = parkedPrefix,
    ordered = ordered, setting = setting, backoff = backoff, entryFields = entryFields,
    currentAttempt = currentAttempt, lastDelivered = lastDelivered, releaseKey = releaseKey, settle = settle,
    deadLetter = deadLetter,
  }
end
