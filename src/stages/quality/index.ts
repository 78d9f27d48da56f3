export { judgeText, type QualityVerdict } from "./judge.js";
export { cleanLines, type CleanedLines, type LineRule } from "./boilerplate-lines.js";
export { documentReason, QUALITY_REASONS, type QualityReason } from "./rules.js";
export { qualitySettings, PRESETS, QUALITY_PRESETS, DEFAULT_PRESET, type QualityPreset, type QualitySettings, type QualityFilterOptions } from "./options.js";
export { TextProfile } from "./profile.js";
export { isKsx1001Syllable } from "./common-syllables.js";
