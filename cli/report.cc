#include "cli/report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/utf8.h"
#include "traffic/curl.h"
#include "traffic/redact.h"

namespace conform::cli {
namespace {

using validator::Finding;
using validator::Level;

struct Colors {
  const char* red = "";
  const char* yellow = "";
  const char* green = "";
  const char* dim = "";
  const char* bold = "";
  const char* reset = "";
};

Colors ColorsFor(bool on) {
  if (!on) {
    return {};
  }
  return {"\033[31m", "\033[33m", "\033[32m", "\033[2m", "\033[1m", "\033[0m"};
}

std::string Curl(const Report& report, const traffic::Request& request) {
  return traffic::CurlCommand(request, {.base_url = report.base_url, .api_key_env = report.api_key_env});
}

// Text from a server (messages, values) may hold bytes that are not UTF-8 or control
// characters, which make the whole XML document unreadable to a CI system.
std::string XmlEscape(std::string_view raw) {
  const std::string text = Printable(raw, /*keep_newlines=*/true);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);  // Printable left no character XML 1.0 forbids
    }
  }
  return out;
}

struct Counts {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;
  size_t must = 0;
  size_t should = 0;
  size_t may = 0;
};

Counts Count(const Report& report) {
  Counts counts;
  for (const ReportCase& c : report.cases) {
    if (CaseFails(c, report.strict)) {
      ++counts.failed;
    } else if (c.skipped) {
      ++counts.skipped;
    } else {
      ++counts.passed;
    }
    for (const Finding& finding : c.findings) {
      switch (finding.level) {
        case Level::kMust:
          ++counts.must;
          break;
        case Level::kShould:
          ++counts.should;
          break;
        case Level::kMay:
          ++counts.may;
          break;
      }
    }
  }
  return counts;
}

std::string CaseNoun(const std::string& command) {
  if (command == "validate") {
    return "exchanges";
  }
  if (command == "fuzz") {
    return "properties";
  }
  return "checks";
}

}  // namespace

bool Fails(const Finding& finding, bool strict) {
  return finding.level == Level::kMust || (strict && finding.level == Level::kShould);
}

bool CaseFails(const ReportCase& c, bool strict) {
  for (const Finding& finding : c.findings) {
    if (Fails(finding, strict)) {
      return true;
    }
  }
  return false;
}

int ExitCodeFor(const Report& report) {
  if (report.stopped != 0) {
    return report.stopped;
  }
  if (!report.errors.empty()) {
    return kExitUnreachable;
  }
  for (const ReportCase& c : report.cases) {
    if (CaseFails(c, report.strict)) {
      return kExitFindings;
    }
  }
  return kExitOk;
}

namespace {

void WriteFindings(const Report& report, const ReportCase& c, std::ostream& out, const TextStyle& style,
                   const Colors& color) {
  std::map<std::string, size_t> shown_per_check;
  for (const Finding& finding : c.findings) {
    // A page of 200 broken jobs makes 200 identical findings: show a few of each.
    if (++shown_per_check[finding.check_id] > 5 && !style.verbose) {
      continue;
    }
    const char* tint = Fails(finding, report.strict) ? color.red : color.yellow;
    out << "      " << tint << validator::LevelName(finding.level) << color.reset << "  " << color.bold
        << finding.check_id << color.reset;
    if (!finding.json_pointer.empty()) {
      out << "  at " << Printable(finding.json_pointer);
    }
    out << "\n        " << Printable(finding.message) << "\n";
    if (!finding.expected.empty()) {
      out << color.dim << "        expected: " << color.reset << Printable(finding.expected) << "\n";
    }
    if (!finding.actual.empty()) {
      out << color.dim << "        actual:   " << color.reset << Printable(finding.actual) << "\n";
    }
    if (!finding.source.empty() && finding.source != c.name && report.command == "validate") {
      out << color.dim << "        in:       " << color.reset << Printable(finding.source) << "\n";
    }
    for (const traffic::Request& request : finding.requests) {
      out << "        " << color.dim << "$ " << color.reset << Printable(Curl(report, request)) << "\n";
    }
  }
  for (const auto& [check, shown] : shown_per_check) {
    if (shown > 5 && !style.verbose) {
      out << color.dim << "      ... and " << (shown - 5) << " more " << check << " findings (--verbose shows all)"
          << color.reset << "\n";
    }
  }
}

// check and fuzz: one row per case, then the details of what failed.
void WriteTable(const Report& report, std::ostream& out, const TextStyle& style, const Colors& color) {
  size_t width = 0;
  for (const ReportCase& c : report.cases) {
    width = std::max(width, c.name.size());
  }
  for (const ReportCase& c : report.cases) {
    bool fails = CaseFails(c, report.strict);
    if (fails) {
      out << color.red << "FAIL" << color.reset;
    } else if (c.skipped) {
      out << color.yellow << "SKIP" << color.reset;
    } else if (!c.findings.empty()) {
      out << color.yellow << "WARN" << color.reset;
    } else {
      out << color.green << "pass" << color.reset;
    }
    out << "  " << Printable(c.name) << std::string(width - c.name.size(), ' ');
    out << color.dim << "  " << (c.requests > 0 ? std::to_string(c.requests) + " req" : std::string("      "));
    if (!c.findings.empty()) {
      out << "  " << c.findings.size() << (c.findings.size() == 1 ? " finding" : " findings");
    }
    if (!c.note.empty()) {
      out << "  " << Printable(c.note);
    }
    out << color.reset << "\n";
  }
  bool any = false;
  for (const ReportCase& c : report.cases) {
    if (c.findings.empty()) {
      continue;
    }
    if (!any) {
      out << "\n" << color.bold << "Findings" << color.reset << "\n";
      any = true;
    }
    out << (CaseFails(c, report.strict) ? color.red : color.yellow) << c.name << color.reset << color.dim << "  "
        << c.description << color.reset << "\n";
    WriteFindings(report, c, out, style, color);
  }
}

}  // namespace

void WriteText(const Report& report, std::ostream& out, const TextStyle& style) {
  Colors color = ColorsFor(style.color);
  out << color.bold << "conform " << report.command << color.reset << "  " << Printable(report.subject) << "\n\n";
  if (report.table) {
    WriteTable(report, out, style, color);
  } else {
    size_t skipped_shown = 0;
    for (const ReportCase& c : report.cases) {
      bool fails = CaseFails(c, report.strict);
      if (!fails && c.findings.empty() && !(c.skipped && skipped_shown < 20) && !style.verbose) {
        continue;
      }
      if (fails) {
        out << color.red << "FAIL" << color.reset;
      } else if (c.skipped) {
        out << color.yellow << "SKIP" << color.reset;
        ++skipped_shown;
      } else if (!c.findings.empty()) {
        out << color.yellow << "WARN" << color.reset;
      } else {
        out << color.green << "PASS" << color.reset;
      }
      out << "  " << Printable(c.name);
      if (!c.note.empty()) {
        out << color.dim << "  (" << Printable(c.note) << ")" << color.reset;
      }
      out << "\n";
      WriteFindings(report, c, out, style, color);
    }
  }
  for (const std::string& error : report.errors) {
    out << color.red << "ERROR" << color.reset << " " << Printable(error) << "\n";
  }
  Counts counts = Count(report);
  out << "\n"
      << color.bold << "Summary" << color.reset << ": " << report.cases.size() << " " << CaseNoun(report.command)
      << ": " << color.green << counts.passed << " passed" << color.reset << ", " << (counts.failed ? color.red : "")
      << counts.failed << " failed" << color.reset << ", " << counts.skipped << " skipped";
  if (!report.errors.empty()) {
    out << ", " << color.red << report.errors.size() << " unreadable" << color.reset;
  }
  out << "; findings: " << counts.must << " must, " << counts.should << " should, " << counts.may << " may";
  if (report.strict) {
    out << " (--strict)";
  }
  out << "\n";
  for (const auto& [name, value] : report.stats) {
    out << color.dim << "  " << name << ": " << value << color.reset << "\n";
  }
}

void WriteJson(const Report& report, std::ostream& out) {
  using Json = nlohmann::json;
  Counts counts = Count(report);
  Json cases = Json::array();
  for (const ReportCase& c : report.cases) {
    Json findings = Json::array();
    for (const Finding& finding : c.findings) {
      Json curl = Json::array();
      for (const traffic::Request& request : finding.requests) {
        curl.push_back(Curl(report, request));
      }
      findings.push_back({{"check_id", finding.check_id},
                          {"level", validator::LevelName(finding.level)},
                          {"fails", Fails(finding, report.strict)},
                          {"message", finding.message},
                          {"json_pointer", finding.json_pointer},
                          {"expected", finding.expected},
                          {"actual", finding.actual},
                          {"source", finding.source},
                          {"curl", curl}});
    }
    std::string status = CaseFails(c, report.strict) ? "failed" : c.skipped ? "skipped" : "passed";
    Json entry = {{"name", c.name}, {"status", status}, {"findings", findings}};
    if (!c.description.empty()) {
      entry["description"] = c.description;
    }
    if (!c.note.empty()) {
      entry["note"] = c.note;
    }
    if (c.requests > 0) {
      entry["requests"] = c.requests;
    }
    cases.push_back(std::move(entry));
  }
  Json stats = Json::object();
  for (const auto& [name, value] : report.stats) {
    stats[name] = value;
  }
  Json document = {{"tool", "conform"},
                   {"command", report.command},
                   {"subject", report.subject},
                   {"strict", report.strict},
                   {"exit_code", ExitCodeFor(report)},
                   {"stopped", report.stopped != 0},
                   {"summary",
                    {{"cases", report.cases.size()},
                     {"passed", counts.passed},
                     {"failed", counts.failed},
                     {"skipped", counts.skipped},
                     {"unreadable", report.errors.size()},
                     {"must", counts.must},
                     {"should", counts.should},
                     {"may", counts.may}}},
                   {"stats", stats},
                   {"errors", report.errors},
                   {"cases", cases}};
  out << document.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

std::string Fixed(double value, const char* format) {
  char text[48];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

void AddTimeStats(Report& report, double seconds, size_t requests) {
  report.stats.emplace_back("wall time", Fixed(seconds, "%.2f s"));
  if (seconds > 0) {
    report.stats.emplace_back("rate",
                              Fixed(static_cast<double>(requests) / seconds, "%.0f requests/s"));
  }
}

void RedactSecrets(Report& report) {
  const std::vector<std::string> forms = traffic::SecretValueForms(report.secrets);
  if (forms.empty()) {
    return;
  }
  auto scrub = [&forms](std::string& text) { traffic::ScrubSecretValues(text, forms); };
  scrub(report.subject);
  for (std::string& error : report.errors) {
    scrub(error);
  }
  for (auto& [name, value] : report.stats) {
    scrub(value);
  }
  for (ReportCase& c : report.cases) {
    scrub(c.name);
    scrub(c.note);
    for (Finding& finding : c.findings) {
      for (std::string* text : {&finding.message, &finding.json_pointer, &finding.expected,
                                &finding.actual, &finding.source}) {
        scrub(*text);
      }
      for (traffic::Request& request : finding.requests) {
        scrub(request.url);
        scrub(request.body);
        for (traffic::Header& header : request.headers) {
          scrub(header.value);
        }
      }
    }
  }
}

std::string JunitXml(const Report& report) {
  Counts counts = Count(report);
  std::ostringstream xml;
  double total_seconds = 0;
  for (const ReportCase& c : report.cases) {
    total_seconds += c.seconds;
  }
  std::string suite = "conform " + report.command;
  xml << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml << "<testsuites name=\"" << XmlEscape(suite) << "\" tests=\"" << report.cases.size() + report.errors.size()
      << "\" failures=\"" << counts.failed << "\" errors=\"" << report.errors.size() << "\" skipped=\""
      << counts.skipped << "\" time=\"" << total_seconds << "\">\n";
  xml << "  <testsuite name=\"" << XmlEscape(suite + ": " + report.subject) << "\" tests=\""
      << report.cases.size() + report.errors.size() << "\" failures=\"" << counts.failed << "\" errors=\""
      << report.errors.size() << "\" skipped=\"" << counts.skipped << "\" time=\"" << total_seconds << "\">\n";
  for (const ReportCase& c : report.cases) {
    xml << "    <testcase classname=\"conform." << XmlEscape(report.command) << "\" name=\"" << XmlEscape(c.name)
        << "\" time=\"" << c.seconds << "\"";
    bool fails = CaseFails(c, report.strict);
    if (!fails && !c.skipped && c.findings.empty()) {
      xml << "/>\n";
      continue;
    }
    xml << ">\n";
    if (c.skipped && !fails) {
      xml << "      <skipped message=\"" << XmlEscape(c.note) << "\"/>\n";
    }
    std::ostringstream details;
    const Finding* first_failure = nullptr;
    for (const Finding& finding : c.findings) {
      if (Fails(finding, report.strict) && first_failure == nullptr) {
        first_failure = &finding;
      }
      details << validator::LevelName(finding.level) << " " << finding.check_id;
      if (!finding.json_pointer.empty()) {
        details << " at " << Printable(finding.json_pointer);
      }
      details << ": " << Printable(finding.message) << "\n";
      if (!finding.expected.empty()) {
        details << "  expected: " << Printable(finding.expected) << "\n";
      }
      if (!finding.actual.empty()) {
        details << "  actual:   " << Printable(finding.actual) << "\n";
      }
      for (const traffic::Request& request : finding.requests) {
        details << "  $ " << Curl(report, request) << "\n";
      }
    }
    if (first_failure != nullptr) {
      xml << "      <failure type=\"" << XmlEscape(first_failure->check_id) << "\" message=\""
          << XmlEscape(Printable(first_failure->message)) << "\">" << XmlEscape(details.str()) << "</failure>\n";
    } else if (!c.findings.empty()) {
      xml << "      <system-out>" << XmlEscape(details.str()) << "</system-out>\n";
    }
    xml << "    </testcase>\n";
  }
  for (const std::string& error : report.errors) {
    std::string name = report.stopped != 0 ? "conform " + report.command
                                           : error.substr(0, error.find(": "));
    xml << "    <testcase classname=\"conform." << XmlEscape(report.command) << "\" name=\""
        << XmlEscape(name) << "\">\n";
    xml << "      <error type=\"" << (report.stopped != 0 ? "stopped" : "unreadable")
        << "\" message=\"" << XmlEscape(error) << "\"/>\n";
    xml << "    </testcase>\n";
  }
  xml << "  </testsuite>\n</testsuites>\n";
  return xml.str();
}

namespace {

// Writes `xml` to `path` in place, for a symlink or a device.
Status WriteJunitInPlace(const std::string& xml, const std::string& path) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) {
    return Unavailable(std::string("cannot write JUnit report: ") + std::strerror(errno), path);
  }
  errno = 0;
  file << xml;
  if (!file.flush()) {
    return Unavailable(std::string("cannot write JUnit report") +
                           (errno != 0 ? std::string(": ") + std::strerror(errno) : ""),
                       path);
  }
  return OkStatus();
}

}  // namespace

Status WriteJunitFile(const Report& report, const std::string& path) {
  // A rename would replace a symlink (leaving its target stale) or a device like /dev/stdout
  // with a regular file: write through those, and rename only over regular files.
  std::error_code ignored;
  std::filesystem::file_status status = std::filesystem::symlink_status(path, ignored);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    return WriteJunitInPlace(JunitXml(report), path);
  }
  std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) {
      return Unavailable(std::string("cannot write JUnit report: ") + std::strerror(errno), path);
    }
    file << JunitXml(report);
    if (!file.flush()) {
      return Unavailable("cannot write JUnit report", path);
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return Unavailable(std::string("cannot write JUnit report: ") + std::strerror(errno), path);
  }
  return OkStatus();
}

}  // namespace conform::cli
