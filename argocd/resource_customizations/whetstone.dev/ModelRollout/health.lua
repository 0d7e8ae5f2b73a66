-- Argo CD health of a Whetstone ModelRollout: Progressing until the operator has observed the current generation;
-- then a rollout moving through its steps is Progressing, one waiting at a pause is Suspended (it needs a promote),
-- Promoted is Healthy, and RolledBack or Failed is Degraded with the deciding condition's reason.
-- The same two helpers as FineTuneJob/health.lua (Argo CD cannot share code between kinds' scripts).
local function findCondition(conditionType)
  for _, condition in ipairs(obj.status.conditions or {}) do
    if condition.type == conditionType and condition.status == "True" then
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
local weight = tostring(obj.status.canaryWeight or 0) .. "%"
if phase == "Promoted" then
  hs.status = "Healthy"
  hs.message = "Promoted " .. (obj.status.stableVersion or "")
elseif phase == "RolledBack" then
  hs.status = "Degraded"
  hs.message = explain("RolledBack", findCondition("Degraded") or findCondition("Failed"))
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = explain("Failed", findCondition("Failed"))
elseif phase == "Paused" then
  hs.status = "Suspended"
  hs.message = "Paused at step " .. tostring(obj.status.currentStep or 0) .. " (canary weight " .. weight ..
    "): annotate whetstone.dev/promote=step to continue"
elseif phase == "Progressing" then
  hs.status = "Progressing"
  hs.message = "Progressing: step " .. tostring(obj.status.currentStep or 0) .. ", canary weight " .. weight
else
  hs.status = "Progressing"
  hs.message = phase
end
return hs
