<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- bordercov: layer "commune_summary". Each commune shaded by the share of
     its border that someone is responsible for (coverage_pct), from red (less
     than 80 %) through yellow to green (all of it), and labelled with its name
     and that percentage. A field name in double braces becomes the name the
     output gives that field (coverage_pct is cover_pct in a Shapefile). -->
<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="1">
  <renderer-v2 type="graduatedSymbol" attr="{{coverage_pct}}" graduatedMethod="GraduatedColor" symbollevels="0" forceraster="0" enableorderby="0">
    <ranges>
      <range render="true" symbol="0" lower="0.000000" upper="80.000000" label="below 80 %"/>
      <range render="true" symbol="1" lower="80.000000" upper="90.000000" label="80 – 90 %"/>
      <range render="true" symbol="2" lower="90.000000" upper="95.000000" label="90 – 95 %"/>
      <range render="true" symbol="3" lower="95.000000" upper="99.995000" label="95 – 99.99 %"/>
      <range render="true" symbol="4" lower="99.995000" upper="100.000000" label="100 %"/>
    </ranges>
    <symbols>
      <symbol type="fill" name="0" alpha="0.6" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="215,25,28,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="80,80,80,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="joinstyle" v="bevel"/>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="0.6" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="253,174,97,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="80,80,80,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="joinstyle" v="bevel"/>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="0.6" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="255,255,191,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="80,80,80,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="joinstyle" v="bevel"/>
        </layer>
      </symbol>
      <symbol type="fill" name="3" alpha="0.6" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="166,217,106,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="80,80,80,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="joinstyle" v="bevel"/>
        </layer>
      </symbol>
      <symbol type="fill" name="4" alpha="0.6" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="26,150,65,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="80,80,80,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="joinstyle" v="bevel"/>
        </layer>
      </symbol>
    </symbols>
    <colorramp type="gradient" name="[source]">
      <prop k="color1" v="215,25,28,255"/>
      <prop k="color2" v="26,150,65,255"/>
      <prop k="discrete" v="0"/>
      <prop k="rampType" v="gradient"/>
      <prop k="stops" v="0.25;253,174,97,255:0.5;255,255,191,255:0.75;166,217,106,255"/>
    </colorramp>
    <classificationMethod id="Custom">
      <symmetricMode enabled="0" symmetrypoint="0" astride="0"/>
      <labelFormat format="%1 – %2 %" labelprecision="2" trimtrailingzeroes="1"/>
      <parameters>
        <Option/>
      </parameters>
      <extraInformation/>
    </classificationMethod>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="&quot;{{name}}&quot; || '\n' || format_number(&quot;{{coverage_pct}}&quot;, 2) || ' %'" isExpression="1"
                  fontFamily="DejaVu Sans" namedStyle="Bold" fontWeight="75" fontItalic="0" fontSize="10" fontSizeUnit="Point"
                  textColor="20,20,20,255" textOpacity="1" multilineHeight="1" blendMode="0" allowHtml="0">
        <text-buffer bufferDraw="1" bufferSize="1" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.9"
                     bufferJoinStyle="128" bufferNoFill="1" bufferBlendMode="0"/>
      </text-style>
      <text-format multilineAlign="1" wrapChar="" autoWrapLength="0" formatNumbers="0" decimals="2" plussign="0"/>
      <placement placement="1" centroidWhole="0" centroidInside="1" fitInPolygonOnly="0" dist="0" distUnits="MM" priority="4"
                 offsetType="0" quadOffset="4" xOffset="0" yOffset="0" offsetUnits="MM" rotationAngle="0" preserveRotation="1"
                 repeatDistance="0" repeatDistanceUnits="MM" polygonPlacementFlags="2"/>
      <rendering drawLabels="1" displayAll="1" obstacle="0" obstacleFactor="1" obstacleType="0" labelPerPart="0"
                 mergeLines="0" upsidedownLabels="0" limitNumLabels="0" maxNumLabels="2000" minFeatureSize="0"
                 scaleVisibility="0" scaleMin="0" scaleMax="0" fontLimitPixelSize="0" fontMinPixelSize="3"
                 fontMaxPixelSize="10000" zIndex="0"/>
    </settings>
  </labeling>
  <blendMode>0</blendMode>
  <featureBlendMode>0</featureBlendMode>
  <layerOpacity>1</layerOpacity>
</qgis>
