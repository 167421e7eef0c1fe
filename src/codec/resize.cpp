#include "codec/resize.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace panel::codec {

namespace {

using lanes = resampler::lanes;

constexpr double lanczos_a = 3.0;
constexpr double pi = 3.14159265358979323846;

double sinc(double x) {
  if (x == 0.0) {
    return 1.0;
  }
  x *= pi;
  return std::sin(x) / x;
}

double lanczos3(double x) {
  return (x > -lanczos_a && x < lanczos_a) ? sinc(x) * sinc(x / lanczos_a) : 0.0;
}

// Pillow's formulation (ImagingResample): sample centres at (i + 0.5) * scale,
// support widened by the scale when shrinking, weights normalised to sum 1.
resampler::taps make_taps(std::uint32_t in, std::uint32_t out) {
  resampler::taps t;
  const double scale = static_cast<double>(in) / out;
  const double filter_scale = std::max(scale, 1.0);
  const double support = lanczos_a * filter_scale;
  t.stride = static_cast<std::uint32_t>(std::ceil(support)) * 2 + 1;
  t.start.resize(out);
  t.count.resize(out);
  t.weights.assign(static_cast<std::size_t>(out) * t.stride, 0.0f);
  std::vector<double> w(t.stride);
  for (std::uint32_t i = 0; i < out; ++i) {
    const double center = (i + 0.5) * scale;
    auto lo = static_cast<std::int64_t>(center - support + 0.5);
    auto hi = static_cast<std::int64_t>(center + support + 0.5);
    lo = std::max<std::int64_t>(lo, 0);
    hi = std::min<std::int64_t>(hi, in);
    hi = std::min<std::int64_t>(hi, lo + t.stride);
    double total = 0.0;
    for (std::int64_t k = lo; k < hi; ++k) {
      w[k - lo] = lanczos3((k - center + 0.5) / filter_scale);
      total += w[k - lo];
    }
    t.start[i] = static_cast<std::uint32_t>(lo);
    t.count[i] = static_cast<std::uint32_t>(hi - lo);
    for (std::int64_t k = lo; k < hi; ++k) {
      t.weights[std::size_t{i} * t.stride + (k - lo)] = static_cast<float>(total != 0.0 ? w[k - lo] / total : 0.0);
    }
  }
  return t;
}

std::uint8_t to_byte(float v) {
  v = std::clamp(v, 0.0f, 255.0f);
  return static_cast<std::uint8_t>(v + 0.5f);
}

} // namespace

size2 fit_within(std::uint32_t width, std::uint32_t height, std::uint32_t max_side) {
  if (width == 0 || height == 0 || max_side == 0) {
    return {0, 0};
  }
  const std::uint32_t longest = std::max(width, height);
  if (longest <= max_side) {
    return {width, height};
  }
  const auto scaled = [&](std::uint32_t side) {
    const auto v = static_cast<std::uint32_t>(std::llround(static_cast<double>(side) * max_side / longest));
    return std::clamp<std::uint32_t>(v, 1, max_side);
  };
  return width >= height ? size2{max_side, scaled(height)} : size2{scaled(width), max_side};
}

resampler::resampler(size2 target) : target_(target) {}

resampler resampler::fit(std::uint32_t max_side) {
  resampler r;
  r.fit_side_ = max_side;
  return r;
}

void resampler::begin(const raster_shape& shape) {
  shape_ = shape;
  if (fit_side_ != 0) {
    target_ = fit_within(shape.source_width, shape.source_height, fit_side_);
  }
  // Never upscale, and never ask for more than the decoder delivered.
  target_.width = std::clamp<std::uint32_t>(target_.width, 1, shape.width);
  target_.height = std::clamp<std::uint32_t>(target_.height, 1, shape.height);
  out_ = pixel_image{target_.width, target_.height, shape.channels, {}};
  out_.pixels.resize(static_cast<std::size_t>(out_.width) * out_.height * out_.channels);
  identity_ = target_.width == shape.width && target_.height == shape.height;
  rows_seen_ = 0;
  next_out_ = 0;
  if (identity_) {
    return;
  }
  // Box-shrink while the image stays at least twice the target; Lanczos does
  // the rest (ratio in [2, 4) on each axis, or below 2 when no box is needed).
  kx_ = std::max<std::uint32_t>(1, shape.width / (2 * target_.width));
  ky_ = std::max<std::uint32_t>(1, shape.height / (2 * target_.height));
  box_w_ = (shape.width + kx_ - 1) / kx_;
  box_h_ = (shape.height + ky_ - 1) / ky_;
  hx_ = make_taps(box_w_, target_.width);
  vy_ = make_taps(box_h_, target_.height);
  box_acc_.assign(box_w_, lanes{0, 0, 0, 0});
  ring_.assign(static_cast<std::size_t>(vy_.stride) * target_.width, lanes{0, 0, 0, 0});
  out_acc_.assign(target_.width, lanes{0, 0, 0, 0});
  rows_in_block_ = 0;
  blocks_done_ = 0;
}

void resampler::row(const std::uint8_t* px) {
  if (rows_seen_ >= shape_.height) {
    return;
  }
  ++rows_seen_;
  if (identity_) {
    std::memcpy(out_.row(next_out_++), px, out_.stride());
    return;
  }
  if (shape_.channels == 4) {
    accumulate_row<4>(px);
  } else {
    accumulate_row<3>(px);
  }
  if (++rows_in_block_ == ky_ || rows_seen_ == shape_.height) {
    finish_block();
  }
}

template <std::uint32_t Channels>
void resampler::accumulate_row(const std::uint8_t* px) {
  const std::uint32_t w = shape_.width;
  lanes* acc = box_acc_.data();
  std::uint32_t x = 0;
  for (std::uint32_t bx = 0; bx < box_w_; ++bx) {
    const std::uint32_t end = std::min(w, x + kx_);
    // Integer sums inside a block, one conversion to float per block; 64 bits
    // because a block of a 100 MP one-row image can be 50 M pixels wide.
    std::uint64_t r = 0;
    std::uint64_t g = 0;
    std::uint64_t b = 0;
    std::uint64_t a = 0;
    for (; x < end; ++x, px += Channels) {
      if constexpr (Channels == 4) {
        // Premultiply so that colour under alpha 0 cannot leak into neighbours.
        r += std::uint32_t{px[0]} * px[3];
        g += std::uint32_t{px[1]} * px[3];
        b += std::uint32_t{px[2]} * px[3];
        a += px[3];
      } else {
        r += px[0];
        g += px[1];
        b += px[2];
      }
    }
    if constexpr (Channels == 4) {
      constexpr float inv = 1.0f / 255.0f;
      acc[bx] += lanes{static_cast<float>(r) * inv, static_cast<float>(g) * inv, static_cast<float>(b) * inv,
                       static_cast<float>(a)};
    } else {
      acc[bx] += lanes{static_cast<float>(r), static_cast<float>(g), static_cast<float>(b), 0.0f};
    }
  }
}

void resampler::finish_block() {
  // Average the box: full blocks hold kx*ky pixels, the last row/column fewer.
  const float inv_y = 1.0f / static_cast<float>(rows_in_block_);
  const std::uint32_t last_w = shape_.width - (box_w_ - 1) * kx_;
  const float full = inv_y / static_cast<float>(kx_);
  for (std::uint32_t bx = 0; bx + 1 < box_w_; ++bx) {
    box_acc_[bx] *= full;
  }
  box_acc_[box_w_ - 1] *= inv_y / static_cast<float>(last_w);

  lanes* dst = ring_.data() + static_cast<std::size_t>(blocks_done_ % vy_.stride) * target_.width;
  for (std::uint32_t x = 0; x < target_.width; ++x) {
    const lanes* src = box_acc_.data() + hx_.start[x];
    const float* wt = hx_.weights.data() + std::size_t{x} * hx_.stride;
    lanes sum{0, 0, 0, 0};
    for (std::uint32_t k = 0; k < hx_.count[x]; ++k) {
      sum += src[k] * wt[k];
    }
    dst[x] = sum;
  }
  std::fill(box_acc_.begin(), box_acc_.end(), lanes{0, 0, 0, 0});
  rows_in_block_ = 0;
  ++blocks_done_;
  emit_ready_rows();
}

void resampler::emit_ready_rows() {
  while (next_out_ < target_.height && vy_.start[next_out_] + vy_.count[next_out_] <= blocks_done_) {
    const std::uint32_t y = next_out_;
    const float* wt = vy_.weights.data() + std::size_t{y} * vy_.stride;
    std::fill(out_acc_.begin(), out_acc_.end(), lanes{0, 0, 0, 0});
    for (std::uint32_t k = 0; k < vy_.count[y]; ++k) {
      const lanes* src = ring_.data() + static_cast<std::size_t>((vy_.start[y] + k) % vy_.stride) * target_.width;
      const float weight = wt[k];
      for (std::uint32_t x = 0; x < target_.width; ++x) {
        out_acc_[x] += src[x] * weight;
      }
    }
    store_output_row(out_acc_.data());
  }
}

void resampler::store_output_row(const lanes* acc) {
  std::uint8_t* out = out_.row(next_out_++);
  if (shape_.channels == 4) {
    for (std::uint32_t x = 0; x < target_.width; ++x, out += 4) {
      const lanes v = acc[x];
      const float a = std::clamp(v[3], 0.0f, 255.0f);
      const float un = a > 0.0f ? 255.0f / a : 0.0f;
      out[0] = to_byte(v[0] * un);
      out[1] = to_byte(v[1] * un);
      out[2] = to_byte(v[2] * un);
      out[3] = to_byte(a);
    }
  } else {
    for (std::uint32_t x = 0; x < target_.width; ++x, out += 3) {
      out[0] = to_byte(acc[x][0]);
      out[1] = to_byte(acc[x][1]);
      out[2] = to_byte(acc[x][2]);
    }
  }
}

pixel_image resampler::take() { return std::move(out_); }

pixel_image resize(const pixel_image& image, size2 target) {
  resampler r(target);
  r.begin(raster_shape{image.width, image.height, image.channels, image.width, image.height});
  for (std::uint32_t y = 0; y < image.height; ++y) {
    r.row(image.row(y));
  }
  return r.take();
}

} // namespace panel::codec
