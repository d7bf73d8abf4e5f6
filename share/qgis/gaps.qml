<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- bordercov: layer "gaps". Every stretch no one is responsible for, a wide
     red line on a white casing ringed in red, labelled with its id and length
     in km. A field name in double braces becomes the name the output gives
     that field. -->
<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="1">
  <renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0" enableorderby="0">
    <symbols>
      <symbol type="line" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <prop k="line_color" v="255,255,255,255"/>
          <prop k="line_width" v="2.6"/>
          <prop k="line_width_unit" v="MM"/>
          <prop k="line_style" v="solid"/>
          <prop k="capstyle" v="round"/>
          <prop k="joinstyle" v="round"/>
        </layer>
        <layer class="SimpleLine" enabled="1" locked="0" pass="0">
          <prop k="line_color" v="215,25,28,255"/>
          <prop k="line_width" v="1.8"/>
          <prop k="line_width_unit" v="MM"/>
          <prop k="line_style" v="solid"/>
          <prop k="capstyle" v="round"/>
          <prop k="joinstyle" v="round"/>
        </layer>
        <!-- A red ring around the middle of each gap: a gap of 200 m is still
             seen on a map of the whole province. -->
        <layer class="MarkerLine" enabled="1" locked="0" pass="0">
          <prop k="placement" v="centralpoint"/>
          <prop k="rotate" v="0"/>
          <prop k="offset" v="0"/>
          <symbol type="marker" name="@0@2" alpha="1" clip_to_extent="1" force_rhr="0">
            <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
              <prop k="name" v="circle"/>
              <prop k="color" v="255,255,255,0"/>
              <prop k="outline_color" v="215,25,28,255"/>
              <prop k="outline_style" v="solid"/>
              <prop k="outline_width" v="0.9"/>
              <prop k="outline_width_unit" v="MM"/>
              <prop k="size" v="6"/>
              <prop k="size_unit" v="MM"/>
              <prop k="scale_method" v="diameter"/>
            </layer>
          </symbol>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="&quot;{{gap_id}}&quot; || ': ' || format_number(&quot;{{length_km}}&quot;, 3) || ' km'" isExpression="1"
                  fontFamily="DejaVu Sans" namedStyle="Bold" fontWeight="75" fontItalic="0" fontSize="9" fontSizeUnit="Point"
                  textColor="165,0,38,255" textOpacity="1" multilineHeight="1" blendMode="0" allowHtml="0">
        <text-buffer bufferDraw="1" bufferSize="1" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.9"
                     bufferJoinStyle="128" bufferNoFill="1" bufferBlendMode="0"/>
      </text-style>
      <text-format multilineAlign="0" wrapChar="" autoWrapLength="0" formatNumbers="0" decimals="3" plussign="0"/>
      <placement placement="4" placementFlags="10" dist="1.5" distUnits="MM" priority="9"
                 centroidWhole="0" centroidInside="0" fitInPolygonOnly="0" repeatDistance="0" repeatDistanceUnits="MM"
                 maxCurvedCharAngleIn="25" maxCurvedCharAngleOut="-25" offsetType="0" quadOffset="4"
                 xOffset="0" yOffset="0" offsetUnits="MM" rotationAngle="0" preserveRotation="1" lineAnchorPercent="0.5"/>
      <rendering drawLabels="1" displayAll="1" obstacle="1" obstacleFactor="1" obstacleType="1" labelPerPart="0"
                 mergeLines="0" upsidedownLabels="0" limitNumLabels="0" maxNumLabels="2000" minFeatureSize="0"
                 scaleVisibility="0" scaleMin="0" scaleMax="0" fontLimitPixelSize="0" fontMinPixelSize="3"
                 fontMaxPixelSize="10000" zIndex="2"/>
    </settings>
  </labeling>
  <blendMode>0</blendMode>
  <featureBlendMode>0</featureBlendMode>
  <layerOpacity>1</layerOpacity>
</qgis>
