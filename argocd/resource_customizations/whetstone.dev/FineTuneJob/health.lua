-- Argo CD health of a Whetstone job: FineTuneJob, CompressionJob and EvaluationRun (their health.lua links here).
-- Progressing until the operator has observed the current generation, then from status.phase; the reason and message
-- of the deciding condition become the health message. An EvaluationRun that Succeeded with verdict Failed is
-- Degraded: the candidate did not pass its gates, and whatever waits on it must not proceed. (Argo CD runs each
-- kind's script alone, with no way to share functions, so ModelRollout/health.lua repeats the two helpers.)
local function findCondition(conditionType, status)
  for _, condition in ipairs(obj.status.conditions or {}) do
    if condition.type == conditionType and condition.status == (status or "True") then
      return condition
    end
  end
  return nil
end

local function explain(prefix, condition)
  if condition == nil then
    return prefix
  end
  return prefix .. " (" .. (condition.reason or "") .. ": " .. (condition.message or "") .. ")"
end

local hs = {}
local generation = obj.metadata.generation or 0
if obj.status == nil or obj.status.observedGeneration == nil or obj.status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

local phase = obj.status.phase or "Pending"
if phase == "Succeeded" and obj.status.verdict == "Failed" then
  hs.status = "Degraded"
  hs.message = explain("Verdict Failed", findCondition("GatesPassed", "False"))
elseif phase == "Succeeded" then
  hs.status = "Healthy"
  local gates = findCondition("GatesPassed")
  hs.message = (obj.status.verdict or "Succeeded") .. (gates and (": " .. (gates.message or "")) or "")
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = explain("Failed", findCondition("Failed"))
elseif phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = "Suspended: " .. (obj.status.message or "runPolicy.suspend is true")
elseif phase == "Pending" or phase == "Queued" or phase == "Running" then
  hs.status = "Progressing"
  local degraded = findCondition("Degraded")
  if degraded ~= nil then
    hs.message = explain(phase, degraded)
  elseif obj.status.message ~= nil then
    hs.message = phase .. ": " .. obj.status.message
  else
    hs.message = phase
  end
else
  hs.status = "Progressing"
  hs.message = "Phase " .. phase
end
return hs
