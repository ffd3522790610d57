-- Shared by every script that works on one subscription; the registry puts it where a script says
-- `-- @include lib/subscription.lua`. Those scripts all take the same KEYS and leading ARGV:
-- KEYS[1] stream, KEYS[2] topic meta hash, KEYS[3] subscription meta hash,
-- KEYS[4] due sorted set (in-flight id -> when it falls due), KEYS[5] why hash (id -> reason it is due),
-- KEYS[6] notes hash (id -> last nack reason), KEYS[7] dead hash (id -> "<attempts> <why>"),
-- KEYS[8] holders hash (sha1 of ordering key -> the id holding it),
-- KEYS[9] dead-letter stream, KEYS[10] dead-letter topic meta ('' keys when none),
-- KEYS[11] unseen set (ids parked when a seek happened: never delivered, so not 'seek' later)
-- ARGV[1] group (subscription name), ARGV[2] topic name, ARGV[3] ready channel,
-- ARGV[4] parked list prefix (+ sha1 of ordering key), ARGV[5] dead-letter ready channel
-- A subscription that does not exist answers {1}.
local stream, topicMeta, subMeta, dueSet, whySet, notes, dead, holders, dlqStream, dlqMeta, unseen = unpack(KEYS, 1, 11)
local group, topic, channel, parkedPrefix, dlqChannel = unpack(ARGV, 1, 5)
if redis.call('EXISTS', subMeta) == 0 then return {1} end

local function nowMs()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

local function setting(name)
  return redis.call('HGET', subMeta, name)
end

local ordered = setting('ordering') == 'true'

local function backoff(attempt)
  return math.min(tonumber(setting('maxBackoffMs')), tonumber(setting('minBackoffMs')) * 2 ^ (attempt - 1))
end

local function field(fields, name)
  for i = 1, #fields, 2 do
    if fields[i] == name then return fields[i + 1] end
  end
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

-- Stream ids compared as numbers: ms first, then sequence.
local function idLess(a, b)
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-(%d+)$')
  am, bm = tonumber(am), tonumber(bm)
  return am < bm or (am == bm and tonumber(as) < tonumber(bs))
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

-- Settles a message and moves it to the dead-letter topic (or drops it without one), counted.
local function deadLetter(id, fields, attempts, reason)
  if dlqStream ~= '' and redis.call('EXISTS', dlqMeta) == 1 then
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
    redis.call('XADD', dlqStream, '*', unpack(copy))
    local size = #(field(fields, 'd') or '')
    if size > tonumber(redis.call('HGET', dlqMeta, 'maxPayload') or '0') then redis.call('HSET', dlqMeta, 'maxPayload', size) end
    redis.call('PUBLISH', dlqChannel, '')
  end
  settle(id, fields)
  redis.call('HSET', dead, id, attempts .. ' ' .. reason)
  redis.call('HINCRBY', subMeta, 'deadLettered', 1)
end
