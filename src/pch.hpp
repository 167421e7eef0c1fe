#pragma once
// Precompiled for every panel_core translation unit: the standard library only.
// Beast and CAF stay out so that TUs which do not need them do not pay for them.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>
