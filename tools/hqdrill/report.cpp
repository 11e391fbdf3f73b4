#include "report.hpp"

#include <exception>
#include <filesystem>
#include <iostream>

#include "report/inputs.hpp"
#include "report/report.hpp"
#include "write_file.hpp"

namespace hqdrill::cli {

namespace {
constexpr int kExitOk = 0, kExitCannotWrite = 1, kExitBadInput = 2;
}  // namespace

ReportCommand::ReportCommand(CLI::App& app) {
  sub_ = app.add_subcommand(
      "report",
      "Write the after-action report and improvement plan of a results directory "
      "(DIR/report.html, self-contained, and DIR/report.md).");
  sub_->add_option("DIR", dir_, "Results directory of `hqdrill run`")->required();
  sub_->add_option("--lang", lang_, "vi (default) or en")->check(CLI::IsMember({"vi", "en"}));
  sub_->add_option("--html", html_, "HTML file to write (default DIR/report.html)");
  sub_->add_option("--md", md_, "Markdown file to write (default DIR/report.md)");
  sub_->add_option("--plan", plan_,
                   "Plan result (hqdrill plan --json; default DIR/plan.json when present)");
  sub_->add_option("--sensitivity", sensitivity_,
                   "Sensitivity result (hqdrill sensitivity --json; default "
                   "DIR/sensitivity.json when present)");
  sub_->add_flag("--quiet,-q", quiet_, "Print nothing but errors");
  sub_->footer(
      "Sections: summary, what went well, what to improve, recommendations (action, owner, "
      "expected effect with its 95% interval, cost; from plan.json), plan comparison and "
      "Pareto front, sensitivity tornado (sensitivity.json), site map, per incident the "
      "distributions of the targeted KPIs and the timelines of the median and worst runs, "
      "method and sources. Nothing is written when an input is missing or malformed.");
}

int ReportCommand::run() const {
  namespace fs = std::filesystem;
  std::vector<std::string> errors;
  const auto in = report::load_inputs(dir_, plan_, sensitivity_, errors);
  if (!in) {
    for (const auto& e : errors) std::cerr << e << "\n";
    return kExitBadInput;
  }
  const report::Lang lang{lang_ == "vi"};
  report::ReportText text;
  try {
    text = report::build_report(*in, lang);
  } catch (const std::exception& e) {  // an input the checks let through: still bad input
    std::cerr << dir_ << ": cannot make the report: " << e.what() << "\n";
    return kExitBadInput;
  }
  const fs::path dir(dir_);
  const std::string html = html_.empty() ? (dir / "report.html").string() : html_;
  const std::string md = md_.empty() ? (dir / "report.md").string() : md_;
  // Both or neither: each goes to a temporary sibling first, then both are renamed.
  const std::string tmp_html = html + ".tmp-report", tmp_md = md + ".tmp-report";
  std::error_code ignored;
  if (std::string err = write_atomically(tmp_html, text.html);
      !err.empty() || !(err = write_atomically(tmp_md, text.markdown)).empty()) {
    fs::remove(tmp_html, ignored);
    fs::remove(tmp_md, ignored);
    std::cerr << "hqdrill report: " << err << "\n";
    return kExitCannotWrite;
  }
  std::error_code ec;
  fs::rename(tmp_html, html, ec);
  if (!ec) fs::rename(tmp_md, md, ec);
  if (ec) {
    fs::remove(tmp_html, ignored);
    fs::remove(tmp_md, ignored);
    std::cerr << "hqdrill report: cannot write " << html << " and " << md << ": " << ec.message()
              << "\n";
    return kExitCannotWrite;
  }
  if (!quiet_)
    std::cout << html << " (" << text.charts << (lang.vi ? " biểu đồ" : " charts") << ")\n"
              << md << "\n";
  return kExitOk;
}

}  // namespace hqdrill::cli
