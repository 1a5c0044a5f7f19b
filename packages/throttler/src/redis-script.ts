/**
 * The Lua script behind the Redis store: one EVALSHA per decision, atomic on
 * the server, using the server's clock (TIME) so every app process agrees on
 * "now". It mirrors src/algorithms/*.ts line for line; the property test
 * `memory and Redis stores make identical decisions` holds them together.
 *
 * KEYS[i]: state of policy i (all share one `{hash tag}`, so one cluster slot).
 * ARGV: nowMs or '' (use TIME), cost, then per policy: algorithm, limit, windowMs, capacity.
 * Reply: allowed, ttlMs, then per policy: allowed, remaining, resetMs, retryAfterMs.
 * A stored value is `@<expiresAt>,<state>`: the state's comma-separated integers, after the time (ms, on
 * the store clock: the `clock` option or TIME) at which that state is back at full quota, now + its own
 * resetMs. From then on it reads as absent (full quota), as in the memory store, which keeps the same
 * instant per policy: a limiter sharing the policy name with another limit would otherwise refill the
 * expired state at its own rate, where memory starts afresh. A value without `@` (written before the
 * expiry was kept) is read as before, whatever its age, so an upgrade resets no count; a script from
 * before reads the new value's state and skips the `@` token (tonumber gives nil, and storing nil at
 * t[#t + 1] adds nothing), so a rolling upgrade fails no call.
 * `%d` keeps integers exact (tostring would round to 14 digits).
 */
import { createHash } from 'node:crypto';

export const THROTTLE_SCRIPT = `
local function fdiv(a, b) return (a - math.fmod(a, b)) / b end
local function cdiv(a, b) return fdiv(a + b - 1, b) end
local function wstart(now, w) return now - math.fmod(math.fmod(now, w) + w, w) end

local function fixed(p, s, now, cost)
  local start, used = wstart(now, p.w), 0
  if s and s[1] >= start then start = s[1]; used = s[2] end
  local reset = start + p.w - now
  local ok = used + cost <= p.limit
  if ok then used = used + cost end
  local retry = reset
  if ok then retry = 0 end
  return ok, {start, used}, math.max(0, p.limit - used), reset, retry
end

local function weighted(prev, curr, elapsed, w)
  local e = math.min(math.max(elapsed, 0), w)
  return (prev * (w - e)) / w + curr
end

local function swadmits(p, start, prev, curr, at, cost)
  local est
  if at >= start + p.w then est = weighted(curr, 0, at - start - p.w, p.w) else est = weighted(prev, curr, at - start, p.w) end
  return est + cost <= p.limit
end

local function swin(p, s, now, cost)
  local w = p.w
  local aligned = wstart(now, w)
  local start, prev, curr = aligned, 0, 0
  if s then
    if s[1] >= aligned then start, prev, curr = s[1], s[2], s[3]
    elseif s[1] == aligned - w then prev = s[3] end
  end
  local est = weighted(prev, curr, now - start, w)
  local ok = est + cost <= p.limit
  if ok then curr = curr + cost end
  local used = est
  if ok then used = est + cost end
  local reset = 0
  if curr > 0 then reset = start + 2 * w - now elseif prev > 0 then reset = start + w - now end
  local retry = 0
  if not ok then
    local room = p.limit - curr - cost
    local at
    if room >= 0 then at = start + math.ceil(w - (room * w) / prev)
    else at = start + w + math.ceil(w - ((p.limit - cost) * w) / curr) end
    while not swadmits(p, start, prev, curr, at, cost) do at = at + 1 end
    retry = at - now
  end
  return ok, {start, prev, curr}, math.max(0, math.floor(p.limit - used)), reset, retry
end

local function slog(p, s, now, cost)
  s = s or {0}
  local expired = now - p.w
  local total = s[1]
  local i = 2
  while i <= #s and s[i] <= expired do total = total - s[i + 1]; i = i + 2 end
  local nx = {total}
  for j = i, #s do nx[#nx + 1] = s[j] end
  local ok = total + cost <= p.limit
  if ok and cost > 0 then
    local t = now
    if #nx > 1 then t = math.max(now, nx[#nx - 1]) end
    nx[#nx + 1] = t
    nx[#nx + 1] = cost
    total = total + cost
    nx[1] = total
  end
  local reset = 0
  if #nx > 1 then reset = nx[#nx - 1] + p.w - now end
  local retry = 0
  if not ok then
    local must = nx[1] + cost - p.limit
    local freed, j = 0, 2
    while freed + nx[j + 1] < must do freed = freed + nx[j + 1]; j = j + 2 end
    retry = nx[j] + p.w - now
  end
  return ok, nx, math.max(0, p.limit - total), reset, retry
end

local function tb(p, s, now, cost)
  local w = p.w
  local full = p.cap * w
  local scaled, last = full, now
  if s then
    scaled = math.min(full, s[1] + math.max(0, now - s[2]) * p.limit)
    last = math.max(now, s[2])
  end
  local need = cost * w
  local ok = scaled >= need
  if ok then scaled = scaled - need end
  local ahead = last - now
  local retry = 0
  if not ok then retry = ahead + cdiv(need - scaled, p.limit) end
  return ok, {scaled, last}, fdiv(scaled, w), ahead + cdiv(full - scaled, p.limit), retry
end

local function gcra(p, s, now, cost)
  local limit, w = p.limit, p.w
  local tol = p.cap * w
  local backlog, last = 0, now
  if s then
    last = math.max(now, s[3] or now)
    if s[1] >= last then backlog = (s[1] - last) * limit + s[2] end
  end
  local wanted = backlog + cost * w
  local ok = wanted <= tol
  local after = backlog
  if ok then after = wanted end
  local ahead = last - now
  local retry = 0
  if not ok then retry = ahead + cdiv(wanted - tol, limit) end
  return ok, {last + fdiv(after, limit), math.fmod(after, limit), last}, math.max(0, fdiv(tol - after, w)), ahead + cdiv(after, limit), retry
end

local algos = {fixed, swin, slog, tb, gcra}
-- The key's TTL (PX, on Redis' real time) only frees memory: the expiry recorded in the value, on the
-- store clock, decides when a state reads as absent. A key lives as long as its own state (its reset)
-- plus GRACE as a margin, so on the server clock a key is gone only after its state has expired. An
-- injected clock that runs slower than real time (tests) can outlive a key: the state then reads as
-- absent before its recorded expiry, as it would after it.
local GRACE = 1000

local function load(key, now)
  local raw = redis.call('GET', key)
  if not raw then return nil end
  local at, state = string.match(raw, '^@(%-?%d+),(.*)$')
  if at then
    if tonumber(at) <= now then return nil end
    raw = state
  end
  local t = {}
  for n in string.gmatch(raw, '[^,]+') do t[#t + 1] = tonumber(n) end
  return t
end

local function encode(st)
  local parts = {}
  for i = 1, #st do parts[i] = string.format('%d', st[i]) end
  return table.concat(parts, ',')
end

local now
if ARGV[1] ~= '' then now = tonumber(ARGV[1])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local cost = tonumber(ARGV[2])
local ps, states, res = {}, {}, {}
local all = true
for i = 1, #KEYS do
  local b = 2 + (i - 1) * 4
  local p = {algo = tonumber(ARGV[b + 1]), limit = tonumber(ARGV[b + 2]), w = tonumber(ARGV[b + 3]), cap = tonumber(ARGV[b + 4])}
  ps[i] = p
  states[i] = load(KEYS[i], now)
  local ok, st, rem, reset, retry = algos[p.algo](p, states[i], now, cost)
  res[i] = {ok, st, rem, reset, retry}
  if not ok then all = false end
end
local out = {0, 0}
if all then out[1] = 1 end
local ttl = 0
for i = 1, #KEYS do
  local r = res[i]
  if (not all) and r[1] then
    local _, st, rem, reset, retry = algos[ps[i].algo](ps[i], states[i], now, 0)
    r = {true, st, rem, reset, retry}
  end
  if r[4] > ttl then ttl = r[4] end
  local okn = 0
  if r[1] then okn = 1 end
  out[#out + 1] = okn
  out[#out + 1] = r[3]
  out[#out + 1] = r[4]
  out[#out + 1] = r[5]
  if all then
    if r[4] > 0 then redis.call('SET', KEYS[i], '@' .. string.format('%d', now + r[4]) .. ',' .. encode(r[2]), 'PX', r[4] + GRACE) else redis.call('DEL', KEYS[i]) end
  end
end
out[2] = ttl
return out
`;

/** SHA1 of the script, for EVALSHA. */
export const THROTTLE_SCRIPT_SHA = createHash('sha1').update(THROTTLE_SCRIPT).digest('hex');
