-- Binds lib/subscription-core.lua to a script's own KEYS[1..10] and ARGV[1..4] (in that file's
-- order), for scripts that work on one subscription; such a script answers {1} when the
-- subscription does not exist.
-- @include lib/subscription-core.lua
local subscription = bindSubscription(KEYS, ARGV)
if not subscription then return {1} end
local stream, topicMeta, subMeta, dueSet, whySet, notes, dead, holders, outbox, unseen =
  subscription.stream, subscription.topicMeta, subscription.subMeta, subscription.dueSet, subscription.whySet,
  subscription.notes, subscription.dead, subscription.holders, subscription.outbox, subscription.unseen
local group, channel, parkedPrefix = subscription.group, subscription.channel, subscription.parkedPrefix
local ordered, setting, backoff, entryFields = subscription.ordered, subscription.setting, subscription.backoff, subscription.entryFields
local currentAttempt, lastDelivered, releaseKey = subscription.currentAttempt, subscription.lastDelivered, subscription.releaseKey
local settle, deadLetter = subscription.settle, subscription.deadLetter

-- Whether the store dead-lettered a message after its last allowed attempt ended unsettled: no
-- receipt settled it, so none may say it did.
local function diedUnsettled(id)
  local record = redis.call('HGET', dead, id)
  return record ~= false and string.match(record, '^%d+ (.*)$') == 'max-delivery-attempts'
end

-- Applies apply(id, attempt) to every receipt (ARGV[from] and ARGV[from + 1] the smallest and the
-- largest of their message ids, then pairs of message id and attempt) that names the current
-- delivery. A receipt of an already settled message is OK and changes nothing; one whose attempt
-- was superseded by a redelivery, or whose message was dead-lettered after its last attempt, answers
-- 0 and changes nothing.
-- Returns {0, r1, r2, ...} with r = 1 OK, 0 invalid (superseded, or dead-lettered unsettled).
local function settleReceipts(from, apply)
  -- One XPENDING over the receipts' range finds most of them (a call per receipt was some 40% of an
  -- ack's Redis time); those it does not list (settled, or beyond the entries it reads) are asked
  -- for one by one.
  local pending = {}
  if #ARGV > from + 1 then
    local entries = redis.call('XPENDING', stream, group, ARGV[from], ARGV[from + 1], #ARGV - from + 15)
    for _, entry in ipairs(entries) do pending[entry[1]] = entry[4] end
  end
  local result = {0}
  for i = from + 2, #ARGV, 2 do
    local id, attempt = ARGV[i], tonumber(ARGV[i + 1])
    local current = pending[id] or currentAttempt(id)
    if (current and current ~= attempt) or (not current and diedUnsettled(id)) then
      result[#result + 1] = 0
    else
      if current then apply(id, attempt) end
      result[#result + 1] = 1
    end
  end
  return result
end
