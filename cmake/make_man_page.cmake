# Writes the man page bordercov.1 (and bordercov.1.gz, as Debian installs
# it) from the built binary: help2man turns `bordercov --help` and
# `--version` into the page, and each command's own `bordercov COMMAND --help`
# becomes a subsection of COMMANDS, so the page never drifts from the program.
# The commands are read from the "Subcommands" list of `bordercov --help`: a
# new command is in the page without a change here.
#   cmake -DBORDERCOV=bin/bordercov -DHELP2MAN=/usr/bin/help2man -DGZIP=/usr/bin/gzip
#         -DOUT_DIR=dir -P make_man_page.cmake

foreach(var BORDERCOV HELP2MAN GZIP OUT_DIR)
  if(NOT ${var})
    message(FATAL_ERROR "make_man_page.cmake: -D${var}=... is required")
  endif()
endforeach()

# The binary is run by its bare name, found on PATH, because its usage
# lines show the name it was called by: the page must say "bordercov", not
# the build folder's path.
get_filename_component(bordercov_dir ${BORDERCOV} DIRECTORY)
get_filename_component(bordercov_name ${BORDERCOV} NAME)
set(run_by_name ${CMAKE_COMMAND} -E env "PATH=${bordercov_dir}:$ENV{PATH}")

# One run of the binary; its output in OUT_VAR, a failure stops the build.
function(run_bordercov out_var)
  execute_process(COMMAND ${run_by_name} ${bordercov_name} ${ARGN}
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " args "${ARGN}")
    message(FATAL_ERROR "bordercov ${args} failed (${rc}): ${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# CMake lists split on ";" (except inside [ ]): help text holds both, so
# lines are split with those three characters stood in for by control
# characters, which decode_line puts back.
string(ASCII 1 semicolon_mark)
string(ASCII 2 open_mark)
string(ASCII 3 close_mark)
function(split_lines out_var text)
  string(REPLACE ";" "${semicolon_mark}" text "${text}")
  string(REPLACE "[" "${open_mark}" text "${text}")
  string(REPLACE "]" "${close_mark}" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()
function(decode_line out_var line)
  string(REPLACE "${semicolon_mark}" ";" line "${line}")
  string(REPLACE "${open_mark}" "[" line "${line}")
  string(REPLACE "${close_mark}" "]" line "${line}")
  set(${out_var} "${line}" PARENT_SCOPE)
endfunction()

# Text for roff: a backslash is \e, a minus sign \- (so that it renders and
# searches as "-"), and \& in front keeps a leading dot or apostrophe from
# being taken as a request.
function(roff_text out_var text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  set(${out_var} "\\&${text}" PARENT_SCOPE)
endfunction()

# A command's --help as man page markup: its description and usage line as
# paragraphs, "Options:" and "Positionals:" as headings, each option (name,
# two or more spaces, description) as a tagged paragraph, which man wraps to
# the reader's terminal. The exit codes are in the page once, under OPTIONS.
function(roff_command_help out_var text)
  split_lines(lines "${text}")
  set(roff "")
  foreach(line IN LISTS lines)
    decode_line(line "${line}")
    if(line STREQUAL "" OR line MATCHES "^Exit codes:")
      continue()
    elseif(line MATCHES "^[A-Z][A-Za-z ]*:$")
      roff_text(heading "${line}")
      string(APPEND roff ".PP\n\\fI${heading}\\fR\n")
    elseif(line MATCHES "^  [^ ]")
      string(SUBSTRING "${line}" 2 -1 body)
      string(FIND "${body}" "  " gap)
      if(gap EQUAL -1)
        set(name "${body}")
        set(description "")
      else()
        string(SUBSTRING "${body}" 0 ${gap} name)
        string(SUBSTRING "${body}" ${gap} -1 description)
        string(STRIP "${description}" description)
      endif()
      roff_text(name "${name}")
      roff_text(description "${description}")
      string(APPEND roff ".TP\n\\fB${name}\\fR\n${description}\n")
    else()
      roff_text(line "${line}")
      string(APPEND roff ".PP\n${line}\n")
    endif()
  endforeach()
  set(${out_var} "${roff}" PARENT_SCOPE)
endfunction()

run_bordercov(help --help)
string(REGEX MATCH "\nSubcommands:\n(.*)" subcommands "${help}")
set(commands "")
split_lines(subcommand_lines "${CMAKE_MATCH_1}")
foreach(line IN LISTS subcommand_lines)
  if(line MATCHES "^  ([a-z][a-z0-9_-]*)( |$)")
    list(APPEND commands ${CMAKE_MATCH_1})
  elseif(NOT line MATCHES "^ ")
    break() # the end of the list: a blank line or the footer
  endif()
endforeach()
if(NOT commands)
  message(FATAL_ERROR "make_man_page.cmake: found no Subcommands list in `bordercov --help`:\n${help}")
endif()

# help2man reads the version from `bordercov --version`, but takes its
# "(GDAL ..., PROJ ..., GEOS ...)" for part of it: the page's footer gets the
# first line's first two words, "bordercov 0.1.0".
run_bordercov(version --version)
string(REGEX MATCH "^[^ \n]+ [^ \n]+" version_string "${version}")

set(include_text "")
string(APPEND include_text "[COMMANDS]\n")
foreach(command IN LISTS commands)
  run_bordercov(command_help ${command} --help)
  roff_command_help(command_help "${command_help}")
  string(APPEND include_text ".SS \"${command}\"\n${command_help}")
endforeach()

string(APPEND include_text [=[
[FILES]
Installed with bordercov, under its prefix (\fI/usr\fR for the Debian package):
.TP
.I share/bordercov/geodata/gia\-lai.gpkg
The sample workspace: the Gia Lai stretch of the Vietnam\(enCambodia border
(90.2 km), with illustrative communes, markers, teams, households and
assignments; its README says where each layer comes from.
.TP
.I share/bordercov/qgis/*.qml
The QGIS styles of the result layers, for reference: bordercov writes them
into its outputs itself.
.TP
.I share/doc/bordercov/README.md
What bordercov answers, one run on the sample, and links to the pages below.
.TP
.I share/doc/bordercov/docs/*.md
The reference: the workspace's layers and fields (workspace.md), the output
layers (outputs.md) and JSON (json.md), every command (cli.md), how lengths
and coverage are measured (method.md), the code (architecture.md), tests
(robustness.md) and measured performance (performance.md).
[EXAMPLES]
.nf
bordercov info /usr/share/bordercov/geodata/gia\-lai.gpkg
bordercov check /usr/share/bordercov/geodata/gia\-lai.gpkg
bordercov coverage /usr/share/bordercov/geodata/gia\-lai.gpkg \-\-as\-of 2015\-12\-31
bordercov coverage plan.gpkg \-o coverage.gpkg \-\-qgis\-project coverage.qgs
bordercov nearest plan.gpkg \-\-at 107.55,13.95 \-k 3
bordercov assign plan.gpkg \-o proposals.gpkg
.fi
]=])

file(MAKE_DIRECTORY ${OUT_DIR})
file(WRITE ${OUT_DIR}/bordercov.h2m "${include_text}")
execute_process(
  COMMAND ${run_by_name} ${HELP2MAN} --no-info
          --name "coverage of the self-management of a national land border"
          --version-string "${version_string}" --section 1 --include ${OUT_DIR}/bordercov.h2m
          --output ${OUT_DIR}/bordercov.1 ${bordercov_name}
  RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc}): ${err}")
endif()
# -n: no name or time stamp in the archive, as Debian wants (reproducible).
execute_process(COMMAND ${GZIP} -9nc ${OUT_DIR}/bordercov.1
                OUTPUT_FILE ${OUT_DIR}/bordercov.1.gz RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip of ${OUT_DIR}/bordercov.1 failed (${rc})")
endif()
