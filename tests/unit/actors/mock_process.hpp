#pragma once
// Test helpers shared by the actor tests that talk to real servers: temporary
// directories, file reading, and the mock-upstream binary started over HTTPS
// with a fresh test CA (scripts/make-test-certs.sh).

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace panel::test {

/// A new directory under the system temp dir, named `<stem>-XXXXXX`.
inline std::string make_temp_dir(char const* stem) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (std::string(stem) + "-XXXXXX")).string();
  REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
  return tmpl;
}

/// The whole file as text ("" when it cannot be read).
inline std::string read_file(std::string const& path) {
  std::ifstream in{path};
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

#ifdef PANEL_MOCK_UPSTREAM_BIN
/// The mock-upstream binary on 127.0.0.1 (a free port) over HTTPS, stopped on
/// destruction. Tests hold one per binary (a function-local static).
class mock_process {
public:
  mock_process() : dir_{make_temp_dir("mock-upstream")} {
    using namespace std::chrono_literals;
    std::string const certs = std::string{"'"} + PANEL_SOURCE_DIR_FOR_TESTS + "/scripts/make-test-certs.sh' '" + dir_ +
                              "' >/dev/null 2>&1";
    REQUIRE(std::system(certs.c_str()) == 0);
    std::string const port_file = dir_ + "/port";
    std::vector<std::string> args{PANEL_MOCK_UPSTREAM_BIN, "--tls-cert", cert(), "--tls-key", key(),
                                  "--port",                "0",          "--port-file", port_file};
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    REQUIRE(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    auto const deadline = std::chrono::steady_clock::now() + 15s;
    while (port_ == 0 && std::chrono::steady_clock::now() < deadline) {
      auto const text = read_file(port_file);
      port_ = text.empty() ? 0 : std::stoi(text);
      if (port_ == 0) {
        REQUIRE(::waitpid(pid_, nullptr, WNOHANG) == 0); // still running
        std::this_thread::sleep_for(20ms);
      }
    }
    REQUIRE(port_ != 0);
  }

  ~mock_process() {
    using namespace std::chrono_literals;
    ::kill(pid_, SIGTERM);
    auto const deadline = std::chrono::steady_clock::now() + 5s;
    while (::waitpid(pid_, nullptr, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
        break;
      }
      std::this_thread::sleep_for(10ms);
    }
    std::filesystem::remove_all(dir_);
  }

  mock_process(mock_process const&) = delete;
  mock_process& operator=(mock_process const&) = delete;

  [[nodiscard]] std::string base() const { return "https://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string ca() const { return dir_ + "/ca.crt"; }
  [[nodiscard]] std::string cert() const { return dir_ + "/server.crt"; }
  [[nodiscard]] std::string key() const { return dir_ + "/server.key"; }

private:
  std::string dir_;
  pid_t pid_ = 0;
  int port_ = 0;
};
#endif

} // namespace panel::test
