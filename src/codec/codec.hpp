#pragma once
// The codec module in one include: sniffing, validation, thumbnails,
// transcoding, upload rules, encoders and the resampler.

#include "codec/encode.hpp"
#include "codec/format.hpp"
#include "codec/image.hpp"
#include "codec/resize.hpp"
#include "codec/sniff.hpp"
#include "codec/thumbnail.hpp"
#include "codec/transcode.hpp"
#include "codec/upload_rules.hpp"
#include "codec/validate.hpp"
